package io.dancestream.trainer;

import io.dancestream.common.parts.PartSchema;
import java.util.List;
import java.util.Random;

/**
 * pix2pix's augmentation: random jitter (samples are stored a little larger than the model
 * size and a random size² window is cut) and horizontal mirroring — which swaps every
 * left/right part id, or the model would learn to paint the left arm where the right one is.
 */
final class Augment {

    private Augment() {
    }

    /** A random batch of {@code n} augmented samples; {@code rnd} decides everything. */
    static Batch sample(List<Sample> samples, int n, int size, Random rnd, boolean mirror) {
        byte[] ids = new byte[n * size * size];
        float[] rgb = new float[n * size * size * 3];
        for (int b = 0; b < n; b++) {
            Sample s = samples.get(rnd.nextInt(samples.size()));
            int slack = s.size() - size;
            int ox = slack > 0 ? rnd.nextInt(slack + 1) : 0;
            int oy = slack > 0 ? rnd.nextInt(slack + 1) : 0;
            boolean flip = mirror && rnd.nextBoolean();
            crop(s, size, ox, oy, flip, ids, rgb, b * size * size);
        }
        return new Batch(n, size, ids, rgb);
    }

    /** The size² window at (ox, oy), mirrored (with swapped part ids) when {@code flip}. */
    static void crop(Sample s, int size, int ox, int oy, boolean flip, byte[] ids, float[] rgb, int at) {
        int src = s.size();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sx = ox + (flip ? size - 1 - x : x);
                int sp = (oy + y) * src + sx;
                int dp = at + y * size + x;
                int id = s.classIds()[sp] & 0xff;
                ids[dp] = (byte) (flip ? PartSchema.mirrorId(id) : id);
                for (int c = 0; c < 3; c++) {
                    rgb[dp * 3 + c] = (s.rgb()[sp * 3 + c] & 0xff) / 127.5f - 1f;
                }
            }
        }
    }

    /** Samples as one unaugmented batch (they must already be size²). */
    static Batch exact(List<Sample> samples, int size) {
        int n = samples.size();
        byte[] ids = new byte[n * size * size];
        float[] rgb = new float[n * size * size * 3];
        for (int b = 0; b < n; b++) {
            crop(samples.get(b), size, 0, 0, false, ids, rgb, b * size * size);
        }
        return new Batch(n, size, ids, rgb);
    }
}
