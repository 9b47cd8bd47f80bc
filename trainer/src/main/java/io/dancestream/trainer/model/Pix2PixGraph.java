package io.dancestream.trainer.model;

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
import org.tensorflow.op.image.CropAndResize;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
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
 *
 * <p>A temporal model (Everybody Dance Now's two-frame generator) trains on consecutive pairs:
 * also {@link #previousClassIds}, {@link #previousReal} and {@link #reprojection} (per pair the
 * CropAndResize box that carries frame t-1's crop into frame t's, see common's CropReprojection).
 * The generator renders t-1 from its part map and no previous frame (all -1, black), then t from
 * its part map and that render re-projected into t's crop; the temporal discriminator judges
 * (parts t-1, parts t, image t-1, image t); LSGAN + λ·L1 over both frames. The fed-back render is
 * a constant to the gradient (as at serving, where it is an input), so the step backpropagates
 * through each generator pass once. {@link #served} is the generator as exported: part map and
 * a fed previous render ({@link #servedPrevious}, uint8) in, used by the evaluation.
 */
public final class Pix2PixGraph {

    static final float LAMBDA_L1 = 100f;
    public static final float LEARNING_RATE = 2e-4f;
    static final float BETA1 = 0.5f;

    final ModelConfig config;
    final Placeholder<TUint8> classIds;
    final Placeholder<TFloat32> real;
    final Placeholder<TInt64> stepSeed;
    final PlaceholderWithDefault<TFloat32> dropRate;
    final Operand<TFloat32> fake;
    /** Temporal only (else null): frame t-1's part map, real image and the t-1 → t crop re-projection boxes [N,4]. */
    final Placeholder<TUint8> previousClassIds;
    final Placeholder<TFloat32> previousReal;
    final Placeholder<TFloat32> reprojection;
    /** Temporal only: the previous render fed to {@link #served}, uint8 RGB [N,S,S,3] (0 = none). */
    final Placeholder<TUint8> servedPrevious;
    /** The generator as served: {@link #classIds} (and {@link #servedPrevious}) in, float RGB in [-1,1] out. */
    final Operand<TFloat32> served;
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
        Layers d = new Layers(tf, Networks.DISCRIMINATOR, seed + 1);
        Operand<TFloat32> dReal;
        Operand<TFloat32> dFake;
        Operand<TFloat32> l1;
        if (!config.temporal()) {
            previousClassIds = null;
            previousReal = null;
            reprojection = null;
            servedPrevious = null;
            fake = tf.withName("fake").identity(Networks.generator(g, cond, config, dropRate, stepSeed));
            served = fake;
            dReal = Networks.discriminator(d, cond, real, config);
            dFake = Networks.discriminator(d, cond, fake, config);
            l1 = meanAll(tf, tf.math.abs(tf.math.sub(fake, real)));
        } else {
            previousClassIds = tf.withName("previous_class_ids").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, s, s)));
            previousReal = tf.withName("previous_real").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            reprojection = tf.withName("reprojection").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
            servedPrevious = tf.withName("served_previous").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            Operand<TFloat32> prevCond = Networks.oneHot(tf, previousClassIds, config.classes());
            Operand<TFloat32> none = tf.fill(tf.shape(previousReal), tf.constant(-1f));
            // t-1 gets other dropout masks than t: the same masks would couple the two passes
            Operand<TInt64> prevSeed = tf.math.add(stepSeed, tf.constant(new long[] {0, 1_000_003L}));
            Operand<TFloat32> fakePrevious = tf.withName("fake_previous").identity(
                    Networks.generator(g, Networks.generatorInput(tf, prevCond, none), config, dropRate, prevSeed));
            Operand<TInt32> n = tf.squeeze(tf.slice(tf.shape(previousReal), tf.constant(new int[] {0}), tf.constant(new int[] {1})));
            Operand<TInt32> boxIndex = tf.range(tf.constant(0), n, tf.constant(1));
            Operand<TFloat32> fedBack = tf.stopGradient(tf.image.cropAndResize(fakePrevious, reprojection, boxIndex,
                    tf.constant(new int[] {s, s}), CropAndResize.extrapolationValue(-1f)));
            fake = tf.withName("fake").identity(
                    Networks.generator(g, Networks.generatorInput(tf, cond, fedBack), config, dropRate, stepSeed));
            served = Networks.generator(g, Networks.generatorInput(tf, cond, Networks.toUnit(tf, servedPrevious)), config,
                    null, null);
            dReal = Networks.temporalDiscriminator(d, prevCond, cond, previousReal, real, config);
            dFake = Networks.temporalDiscriminator(d, prevCond, cond, fakePrevious, fake, config);
            l1 = tf.math.mul(tf.constant(0.5f), tf.math.add(meanAll(tf, tf.math.abs(tf.math.sub(fakePrevious, previousReal))),
                    meanAll(tf, tf.math.abs(tf.math.sub(fake, real)))));
        }

        // LSGAN: D pushes real patches to 1 and fakes to 0; G pushes its fakes to 1
        Operand<TFloat32> one = tf.constant(1f);
        lossD = tf.withName("loss_d").math.mul(tf.constant(0.5f), tf.math.add(
                meanAll(tf, tf.math.square(tf.math.sub(dReal, one))), meanAll(tf, tf.math.square(dFake))));
        lossGan = tf.withName("loss_gan").identity(meanAll(tf, tf.math.square(tf.math.sub(dFake, one))));
        lossL1 = tf.withName("loss_l1").identity(l1);
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
