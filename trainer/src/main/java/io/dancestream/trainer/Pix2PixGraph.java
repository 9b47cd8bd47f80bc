package io.dancestream.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The pix2pix training graph: generator and conditional PatchGAN, LSGAN + λ·L1 losses (λ = 100)
 * and one Adam (2e-4, β1 = 0.5) per network over that network's variables only
 * ({@code Optimizer.minimize} would also move the other network's weights).
 *
 * <p>Feeds: {@link #classIds} uint8 [N,S,S], {@link #real} float RGB in [-1,1] [N,S,S,3],
 * {@link #stepSeed} int64 [2] (dropout masks), {@link #dropRate} (0.5 while training).
 */
final class Pix2PixGraph {

    static final float LAMBDA_L1 = 100f;
    static final float LEARNING_RATE = 2e-4f;
    static final float BETA1 = 0.5f;

    final ModelConfig config;
    final Placeholder<TUint8> classIds;
    final Placeholder<TFloat32> real;
    final Placeholder<TInt64> stepSeed;
    final PlaceholderWithDefault<TFloat32> dropRate;
    final Operand<TFloat32> fake;
    final Operand<TFloat32> lossD;
    final Operand<TFloat32> lossGan;
    final Operand<TFloat32> lossL1;
    final Operand<TFloat32> lossG;
    final Op trainD;
    final Op trainG;
    final Map<String, Variable<TFloat32>> generatorVariables;

    Pix2PixGraph(Graph graph, ModelConfig config, long seed) {
        this(graph, config, seed, LEARNING_RATE);
    }

    Pix2PixGraph(Graph graph, ModelConfig config, long seed, float learningRate) {
        ConvGradients.register();
        this.config = config;
        Ops tf = Ops.create(graph);
        int s = config.size();
        classIds = tf.withName("class_ids").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, s, s)));
        real = tf.withName("real").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
        stepSeed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
        dropRate = tf.withName("drop_rate").placeholderWithDefault(tf.constant(0f), Shape.scalar());

        Operand<TFloat32> cond = Networks.oneHot(tf, classIds, config.classes());
        Layers g = new Layers(tf, Networks.GENERATOR, seed);
        fake = tf.withName("fake").identity(Networks.generator(g, cond, config, dropRate, stepSeed));
        Layers d = new Layers(tf, Networks.DISCRIMINATOR, seed + 1);
        Operand<TFloat32> dReal = Networks.discriminator(d, cond, real, config);
        Operand<TFloat32> dFake = Networks.discriminator(d, cond, fake, config);

        // LSGAN: D pushes real patches to 1 and fakes to 0; G pushes its fakes to 1
        Operand<TFloat32> one = tf.constant(1f);
        lossD = tf.withName("loss_d").math.mul(tf.constant(0.5f), tf.math.add(
                meanAll(tf, tf.math.square(tf.math.sub(dReal, one))), meanAll(tf, tf.math.square(dFake))));
        lossGan = tf.withName("loss_gan").identity(meanAll(tf, tf.math.square(tf.math.sub(dFake, one))));
        lossL1 = tf.withName("loss_l1").identity(meanAll(tf, tf.math.abs(tf.math.sub(fake, real))));
        lossG = tf.withName("loss_g").math.add(lossGan, tf.math.mul(tf.constant(LAMBDA_L1), lossL1));

        generatorVariables = g.variables();
        trainD = minimize(graph, "grad_d", lossD, d.variables(), new Adam(graph, "AdamD", learningRate, BETA1, 0.999f, 1e-8f));
        trainG = minimize(graph, "grad_g", lossG, g.variables(), new Adam(graph, "AdamG", learningRate, BETA1, 0.999f, 1e-8f));
    }

    private static Operand<TFloat32> meanAll(Ops tf, Operand<TFloat32> x) {
        return tf.math.mean(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Op minimize(Graph graph, String prefix, Operand<TFloat32> loss, Map<String, Variable<TFloat32>> vars,
                               Adam adam) {
        Output<?>[] xs = vars.values().stream().map(Variable::asOutput).toArray(Output[]::new);
        Output<?>[] grads = graph.addGradients(prefix, new Output<?>[] {loss.asOutput()}, xs, null);
        List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            pairs.add(new GradAndVar(grads[i], xs[i]));
        }
        return adam.applyGradients(pairs, prefix + "_apply");
    }
}
