package io.dancestream.trainer.data;

import io.dancestream.common.parts.PartSchema;
import java.util.List;
import java.util.Random;

/**
 * pix2pix's augmentation: random jitter (samples are stored a little larger than the model
 * size and a random size² window is cut) and horizontal mirroring — which swaps every
 * left/right part id, or the model would learn to paint the left arm where the right one is.
 */
public final class Augment {

    /**
     * A temporal model's training pairs are frames at most this many seqs apart: a frame or two
     * without a pair (no person found, a drop) still makes a pair, as transfer-stream conditions
     * across a short gap.
     */
    public static final int MAX_PAIR_GAP = 2;

    private Augment() {
    }

    /** A random batch of {@code n} augmented samples; {@code rnd} decides everything. */
    public static Batch sample(List<Sample> samples, int n, int size, Random rnd, boolean mirror) {
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

    /**
     * A random batch of {@code n} consecutive pairs for a two-frame model: a sample that has a
     * predecessor of the same stream at most {@code maxGap} frames (seq) before it, and that
     * predecessor, both cut with the same jitter window and mirroring (a video is augmented as a
     * whole, or the pair would show motion that never happened), with the box that re-projects
     * the predecessor's crop into the sample's.
     *
     * @throws IllegalStateException when no sample has a predecessor (no consecutive frames)
     */
    public static Batch samplePairs(List<Sample> samples, int n, int size, Random rnd, boolean mirror, int maxGap) {
        List<int[]> pairs = consecutive(samples, maxGap);
        if (pairs.isEmpty()) {
            throw new IllegalStateException("a temporal model trains on consecutive frames, and no two of the "
                    + samples.size() + " training pairs are at most " + maxGap + " frames apart");
        }
        byte[] ids = new byte[n * size * size];
        float[] rgb = new float[n * size * size * 3];
        byte[] prevIds = new byte[n * size * size];
        float[] prevRgb = new float[n * size * size * 3];
        float[] boxes = new float[4 * n];
        for (int b = 0; b < n; b++) {
            int[] pair = pairs.get(rnd.nextInt(pairs.size()));
            Sample prev = samples.get(pair[0]);
            Sample cur = samples.get(pair[1]);
            int slack = cur.size() - size;
            int ox = slack > 0 ? rnd.nextInt(slack + 1) : 0;
            int oy = slack > 0 ? rnd.nextInt(slack + 1) : 0;
            boolean flip = mirror && rnd.nextBoolean();
            crop(prev, size, ox, oy, flip, prevIds, prevRgb, b * size * size);
            crop(cur, size, ox, oy, flip, ids, rgb, b * size * size);
            reprojection(prev, cur, size, ox, oy, flip, boxes, 4 * b);
        }
        return new Batch(n, size, ids, rgb, new Batch(n, size, prevIds, prevRgb), boxes);
    }

    /** Index pairs (predecessor, sample) of the same stream at most maxGap seq apart; samples are in seq order per stream. */
    static List<int[]> consecutive(List<Sample> samples, int maxGap) {
        List<int[]> out = new java.util.ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            long gap = b.seq() - a.seq();
            if (a.streamId().equals(b.streamId()) && gap >= 1 && gap <= maxGap && a.crop() != null && b.crop() != null
                    && a.size() == b.size()) {
                out.add(new int[] {i - 1, i});
            }
        }
        return out;
    }

    /**
     * The CropAndResize box [y1,x1,y2,x2] (normalized to the size² window) that samples the
     * previous window at the frame points the current window shows: common's CropReprojection
     * mapping, taken through each sample's stored crop, jitter window and mirroring.
     */
    static void reprojection(Sample prev, Sample cur, int size, int ox, int oy, boolean flip, float[] out, int at) {
        double[] x = windowMap(prev, cur, size, ox, flip, true);
        double[] y = windowMap(prev, cur, size, oy, false, false);
        double last = size - 1.0;
        out[at] = (float) (y[1] / last);
        out[at + 1] = (float) (x[1] / last);
        out[at + 2] = (float) ((y[1] + y[0] * last) / last);
        out[at + 3] = (float) ((x[1] + x[0] * last) / last);
    }

    /** {scale, offset} of previous-window index as a function of current-window index along one axis. */
    private static double[] windowMap(Sample prev, Sample cur, int size, int offset, boolean flip, boolean isX) {
        double[] at = new double[2];
        for (int u = 0; u < 2; u++) {
            int stored = offset + (flip ? size - 1 - u : u); // the current sample's stored pixel
            double frame = edge(cur, isX) + (stored + 0.5) * cur.crop().side() / cur.size();
            double prevStored = (frame - edge(prev, isX)) * prev.size() / prev.crop().side() - 0.5;
            double w = prevStored - offset;
            at[u] = flip ? size - 1 - w : w;
        }
        return new double[] {at[1] - at[0], at[0]};
    }

    private static double edge(Sample s, boolean isX) {
        return isX ? s.crop().x() : s.crop().y();
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
    public static Batch exact(List<Sample> samples, int size) {
        int n = samples.size();
        byte[] ids = new byte[n * size * size];
        float[] rgb = new float[n * size * size * 3];
        for (int b = 0; b < n; b++) {
            crop(samples.get(b), size, 0, 0, false, ids, rgb, b * size * size);
        }
        return new Batch(n, size, ids, rgb);
    }
}
