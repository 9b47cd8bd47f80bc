package io.dancestream.trainer.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The layers pix2pix is made of, over one variable scope. A weight is created on first use of
 * its name and reused after (so the discriminator's real and fake passes share weights).
 * Initial values come from a stateless generator seeded by (seed, name), so the same seed
 * builds the same network in any graph.
 */
public final class Layers {

    private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);
    private static final List<Long> STRIDE_2 = List.of(1L, 2L, 2L, 1L);

    private static final float LEAKY_SLOPE = 0.2f;
    /** Ops the remapper fuses into a {@code _FusedConv2D} (see {@link #leakyRelu}). */
    private static final Set<String> CONV_OUTPUTS = Set.of("Conv2D", "BiasAdd");

    private final Ops tf;
    private final String scope;
    private final long seed;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();

    public Layers(Ops tf, String scope, long seed) {
        this.tf = tf;
        this.scope = scope;
        this.seed = seed;
    }

    Ops tf() {
        return tf;
    }

    /** The variables created so far, by name, in creation order. */
    Map<String, Variable<TFloat32>> variables() {
        return variables;
    }

    private Variable<TFloat32> variable(String name, Operand<TFloat32> init) {
        return variables.computeIfAbsent(name, n -> tf.withName(scope + "." + n.replace('/', '.')).variable(init));
    }

    /** N(0, 0.02) as in pix2pix, reproducible from (seed, name). */
    Variable<TFloat32> weight(String name, long... shape) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        Ops init = tf.withInitScope();
        long[] key = {seed, (scope + "/" + name).hashCode()};
        Operand<TFloat32> normal = init.random.statelessTruncatedNormal(init.constant(shape), init.constant(key));
        return variable(name, init.math.mul(normal, init.constant(0.02f)));
    }

    Variable<TFloat32> filled(String name, float value, long size) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        Ops init = tf.withInitScope();
        return variable(name, init.fill(init.constant(new long[] {size}), init.constant(value)));
    }

    /** 4x4 convolution, stride 2 (halves the size) or 1, SAME padding. */
    Operand<TFloat32> conv(String name, Operand<TFloat32> x, long cin, long cout, int stride, boolean bias) {
        Operand<TFloat32> y = tf.nn.conv2d(x, weight(name + "/w", 4, 4, cin, cout), stride == 2 ? STRIDE_2 : STRIDE_1, "SAME");
        return bias ? tf.nn.biasAdd(y, filled(name + "/b", 0f, cout)) : y;
    }

    /** 4x4 transposed convolution, stride 2: doubles the spatial size of an [N,h,h,cin] input. */
    Operand<TFloat32> upconv(String name, Operand<TFloat32> x, long h, long cin, long cout, boolean bias) {
        Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        Operand<TInt32> outShape = tf.concat(Arrays.asList(batch, tf.constant(new int[] {(int) (2 * h), (int) (2 * h), (int) cout})),
                tf.constant(0));
        Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outShape, weight(name + "/w", 4, 4, cout, cin), x, STRIDE_2, "SAME");
        return bias ? tf.nn.biasAdd(y, filled(name + "/b", 0f, cout)) : y;
    }

    /** Instance normalization with a learned per-channel scale and offset. */
    Operand<TFloat32> instanceNorm(String name, Operand<TFloat32> x, long channels) {
        Operand<TInt32> axes = tf.constant(new int[] {1, 2});
        Operand<TFloat32> mean = tf.math.mean(x, axes, Mean.keepDims(true));
        Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(x, mean), axes, Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(tf.math.sub(x, mean), tf.math.rsqrt(tf.math.add(var, tf.constant(1e-5f))));
        return tf.math.add(tf.math.mul(normed, filled(name + "/scale", 1f, channels)), filled(name + "/offset", 0f, channels));
    }

    /**
     * Leaky ReLU, slope 0.2. On a convolution's output it is computed as
     * {@code 0.2·x + 0.8·relu(x)}, the same function.
     *
     * <p>Why: with oneDNN on (the default on AVX-512 VNNI/BF16 CPUs) grappler's remapper fuses
     * Conv2D + BiasAdd into {@code _FusedConv2D} and then folds a LeakyRelu that reads it into the
     * same node without checking the node's other readers: here the skip connection, and in
     * training always the gradient's LeakyReluGrad. It deletes a node they still read, rejects its
     * own rewrite ("remapper failed: ... fanout 'Concat_11' exist for missing node 'BiasAdd'") and
     * so drops every remapping of the graph. Only LeakyRelu has that unchecked fusion; Relu's
     * checks the readers. Variables, and so checkpoints, are unchanged.
     */
    Operand<TFloat32> leakyRelu(Operand<TFloat32> x) {
        if (CONV_OUTPUTS.contains(x.op().type())) {
            return tf.math.add(tf.math.mul(x, tf.constant(LEAKY_SLOPE)), tf.math.mul(tf.nn.relu(x), tf.constant(1f - LEAKY_SLOPE)));
        }
        return tf.nn.leakyRelu(x, LeakyRelu.alpha(LEAKY_SLOPE));
    }

    /**
     * Dropout with a stateless mask keyed by {@code seed} (fed per step, so a resumed run draws
     * the same masks) and a rate fed at run time (0 = off, as in evaluation and serving).
     */
    Operand<TFloat32> dropout(Operand<TFloat32> x, Operand<TFloat32> rate, Operand<TInt64> stepSeed, int salt) {
        Operand<TInt64> s = tf.math.add(stepSeed, tf.constant(new long[] {0, salt * 7919L}));
        Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), s);
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, rate), TFloat32.class);
        return tf.math.div(tf.math.mul(x, keep), tf.math.sub(tf.constant(1f), rate));
    }

    static Shape shape(long... dims) {
        return Shape.of(dims);
    }
}
