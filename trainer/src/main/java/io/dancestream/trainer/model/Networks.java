package io.dancestream.trainer.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * pix2pix's two networks (Isola et al. 2017), as graph-building functions that know nothing
 * about Kafka, sessions or files.
 */
public final class Networks {

    public static final String GENERATOR = "generator";
    static final String DISCRIMINATOR = "discriminator";

    private Networks() {
    }

    /** uint8 class ids [N,S,S] → float one-hot [N,S,S,classes]; ids ≥ classes become all-zero. */
    public static Operand<TFloat32> oneHot(Ops tf, Operand<TUint8> classIds, int classes) {
        Operand<TInt32> ids = tf.dtypes.cast(classIds, TInt32.class);
        return tf.oneHot(ids, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    }

    /**
     * The generator's input: the one-hot part map, and for a temporal model the previous frame's
     * render (float RGB in [-1,1]; all -1, i.e. black, when there is none) as three more channels.
     */
    public static Operand<TFloat32> generatorInput(Ops tf, Operand<TFloat32> oneHot, Operand<TFloat32> previous) {
        return previous == null ? oneHot : tf.concat(List.of(oneHot, previous), tf.constant(3));
    }

    /** uint8 RGB [N,S,S,3] → float in [-1,1], as the generator's output range. */
    public static Operand<TFloat32> toUnit(Ops tf, Operand<TUint8> rgb) {
        return tf.math.sub(tf.math.div(tf.dtypes.cast(rgb, TFloat32.class), tf.constant(127.5f)), tf.constant(1f));
    }

    /**
     * U-Net generator: the encoder halves the size to 1x1 (4x4 stride-2 convs, instance norm,
     * leaky ReLU), the decoder doubles it back with transposed convs, each level concatenated
     * with its encoder twin (the skip connections); dropout in the three innermost decoder
     * levels (left out of the graph when {@code dropRate} is null, as for serving); tanh output
     * in [-1, 1].
     */
    public static Operand<TFloat32> generator(Layers l, Operand<TFloat32> input, ModelConfig c,
                                       Operand<TFloat32> dropRate, Operand<TInt64> stepSeed) {
        int depth = c.depth();
        long[] ch = new long[depth];
        for (int i = 0; i < depth; i++) {
            ch[i] = (long) c.ngf() * Math.min(1L << i, 8L);
        }
        List<Operand<TFloat32>> enc = new ArrayList<>();
        Operand<TFloat32> h = l.conv("e0", input, c.generatorInputChannels(), ch[0], 2, true);
        enc.add(h);
        for (int i = 1; i < depth; i++) {
            h = l.conv("e" + i, l.leakyRelu(h), ch[i - 1], ch[i], 2, i == depth - 1);
            if (i < depth - 1) {
                h = l.instanceNorm("e" + i + "/norm", h, ch[i]);
            }
            enc.add(h);
        }
        Ops tf = l.tf();
        Operand<TFloat32> d = enc.get(depth - 1);
        long dChannels = ch[depth - 1];
        for (int i = depth - 1; i >= 1; i--) {
            long spatial = c.size() >> (i + 1);
            Operand<TFloat32> u = l.upconv("d" + i, tf.nn.relu(d), spatial, dChannels, ch[i - 1], false);
            u = l.instanceNorm("d" + i + "/norm", u, ch[i - 1]);
            if (dropRate != null && i >= depth - 3 && depth >= 5) {
                u = l.dropout(u, dropRate, stepSeed, i);
            }
            d = tf.concat(List.of(u, enc.get(i - 1)), tf.constant(3));
            dChannels = 2 * ch[i - 1];
        }
        Operand<TFloat32> out = l.upconv("d0", tf.nn.relu(d), c.size() / 2, dChannels, 3, true);
        return tf.math.tanh(out);
    }

    /**
     * 70x70 PatchGAN conditioned on the part map: judges (part map, image) patches, returning
     * one logit per patch.
     */
    static Operand<TFloat32> discriminator(Layers l, Operand<TFloat32> oneHot, Operand<TFloat32> image, ModelConfig c) {
        return discriminator(l, List.of(oneHot, image), c.classes() + 3L, c);
    }

    /**
     * The temporal PatchGAN of a two-frame model (Everybody Dance Now): judges consecutive pairs,
     * (part map t-1, part map t, image t-1, image t), so a generator that flickers between
     * frames is told apart from real video even where each frame alone looks right.
     */
    static Operand<TFloat32> temporalDiscriminator(Layers l, Operand<TFloat32> previousOneHot, Operand<TFloat32> oneHot,
                                                   Operand<TFloat32> previousImage, Operand<TFloat32> image, ModelConfig c) {
        return discriminator(l, List.of(previousOneHot, oneHot, previousImage, image), 2L * c.classes() + 6L, c);
    }

    private static Operand<TFloat32> discriminator(Layers l, List<Operand<TFloat32>> inputs, long in, ModelConfig c) {
        Ops tf = l.tf();
        long f = c.ndf();
        Operand<TFloat32> h = tf.concat(inputs, tf.constant(3));
        h = l.leakyRelu(l.conv("c0", h, in, f, 2, true));
        h = l.leakyRelu(l.instanceNorm("c1/norm", l.conv("c1", h, f, 2 * f, 2, false), 2 * f));
        h = l.leakyRelu(l.instanceNorm("c2/norm", l.conv("c2", h, 2 * f, 4 * f, 2, false), 4 * f));
        h = l.leakyRelu(l.instanceNorm("c3/norm", l.conv("c3", h, 4 * f, 8 * f, 1, false), 8 * f));
        return l.conv("c4", h, 8 * f, 1, 1, true);
    }
}
