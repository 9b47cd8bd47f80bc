package io.dancestream.segmentstream.quantize;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The colours of a corpus of masks, binned at 6 bits per channel (64³ bins), with the exact
 * mean colour of each bin. k-means then runs over the non-empty bins (a few thousand weighted
 * points) instead of hundreds of millions of pixels, so fitting 1,600 masks costs little more
 * than decoding them. Not thread-safe; {@link #merge} combines per-thread histograms.
 */
public final class ColorHistogram {

    static final int BITS = 6;
    static final int BINS = 1 << (3 * BITS);

    final long[] count = new long[BINS];
    final long[] sumR = new long[BINS];
    final long[] sumG = new long[BINS];
    final long[] sumB = new long[BINS];
    private long pixels;
    private int masks;

    static int bin(int r, int g, int b) {
        return ((r >> 2) << 12) | ((g >> 2) << 6) | (b >> 2);
    }

    /** Adds every pixel of a BGR 8-bit mask. */
    public void add(Mat bgr) {
        if (bgr.channels() != 3) {
            throw new IllegalArgumentException("expected a 3-channel BGR mask, got " + bgr.channels() + " channels");
        }
        addBgr(BgrPixels.bytes(bgr));
    }

    /** Adds interleaved BGR bytes. */
    public void addBgr(byte[] bgr) {
        for (int i = 0; i + 2 < bgr.length; i += 3) {
            int b = bgr[i] & 0xff;
            int g = bgr[i + 1] & 0xff;
            int r = bgr[i + 2] & 0xff;
            int k = bin(r, g, b);
            count[k]++;
            sumR[k] += r;
            sumG[k] += g;
            sumB[k] += b;
        }
        pixels += bgr.length / 3;
        masks++;
    }

    public void merge(ColorHistogram other) {
        for (int k = 0; k < BINS; k++) {
            count[k] += other.count[k];
            sumR[k] += other.sumR[k];
            sumG[k] += other.sumG[k];
            sumB[k] += other.sumB[k];
        }
        pixels += other.pixels;
        masks += other.masks;
    }

    public long pixels() {
        return pixels;
    }

    public int masks() {
        return masks;
    }

    /** Number of distinct 6-bit colour bins seen (the "millions of colours" of the seed, binned). */
    public int occupiedBins() {
        return occupied(count);
    }

    /** How many bins of a histogram hold at least one pixel. */
    static int occupied(long[] counts) {
        int n = 0;
        for (long c : counts) {
            if (c > 0) {
                n++;
            }
        }
        return n;
    }

    public void clear() {
        java.util.Arrays.fill(count, 0);
        java.util.Arrays.fill(sumR, 0);
        java.util.Arrays.fill(sumG, 0);
        java.util.Arrays.fill(sumB, 0);
        pixels = 0;
        masks = 0;
    }
}
