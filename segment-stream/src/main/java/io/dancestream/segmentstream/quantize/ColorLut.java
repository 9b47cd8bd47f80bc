package io.dancestream.segmentstream.quantize;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A fit compiled into a 64³ table (6 bits per channel, 256 KiB): RGB → class id plus a "sure"
 * bit. Mapping a mask is one table read per pixel, no distance search at run time.
 *
 * <p>A colour is <em>sure</em> when it lies within {@code sureRadius} of its nearest centroid and
 * at least {@code margin} closer to it than to the second nearest. Border blends (JPEG's
 * half-resolution chroma, bilinear scaling) are not sure; {@link BorderResolver} decides them
 * from the confirmed sure pixels around them. A colour farther than {@code maxDistance} from
 * every centroid is no class: it maps to background unless sure neighbours say otherwise, so a
 * mask without palette colours becomes all background.
 *
 * <p>Distances count the luma difference {@value #LUMA_WEIGHT}x extra: JPEG keeps luma at full
 * resolution, so a border blend whose chroma happens to match a third class (the palette is a
 * rainbow) still has the luma of one of its two parts and is not taken as sure. A larger weight
 * makes JPEG's luma ringing unsure as well (measured on real part maps: 3 is best of 0, 2, 3, 5,
 * 10, 30 by 0.1–2 points on the worst class).
 *
 * <p>6 bits lose at most 2 levels per channel next to a decision border, well under the JPEG
 * noise of a captured mask; a 2^24 table would be 64x larger and miss the cache.
 */
public final class ColorLut {

    public static final double DEFAULT_MAX_DISTANCE = 80;
    public static final double DEFAULT_SURE_RADIUS = 24;
    public static final double DEFAULT_MARGIN = 16;
    /** Extra weight of the squared luma difference in the table's colour distance. */
    static final double LUMA_WEIGHT = 3;

    /** Table bit: the colour is a blend or an outlier; let the neighbours decide. */
    static final int UNSURE = 0x80;
    /** Class bits of a colour that is no class. */
    static final int NONE = 0x1f;

    private final byte[] table = new byte[ColorHistogram.BINS];
    private final QuantizerFit fit;

    private ColorLut(QuantizerFit fit) {
        this.fit = fit;
    }

    public static ColorLut compile(QuantizerFit fit) {
        return compile(fit, DEFAULT_MAX_DISTANCE, DEFAULT_SURE_RADIUS, DEFAULT_MARGIN);
    }

    public static ColorLut compile(QuantizerFit fit, double maxDistance, double sureRadius, double margin) {
        ColorLut lut = new ColorLut(fit);
        double[][] cent = fit.centroids();
        for (int r = 0; r < 64; r++) {
            for (int g = 0; g < 64; g++) {
                for (int b = 0; b < 64; b++) {
                    // the bin's centre colour
                    double cr = (r << 2) + 1.5;
                    double cg = (g << 2) + 1.5;
                    double cb = (b << 2) + 1.5;
                    double d1 = Double.MAX_VALUE;
                    double d2 = Double.MAX_VALUE;
                    int best = 0;
                    for (int i = 0; i < cent.length; i++) {
                        double dr = cent[i][0] - cr;
                        double dg = cent[i][1] - cg;
                        double db = cent[i][2] - cb;
                        double dy = BgrPixels.luma(dr, dg, db);
                        double d = Math.sqrt(dr * dr + dg * dg + db * db + LUMA_WEIGHT * dy * dy);
                        if (d < d1) {
                            d2 = d1;
                            d1 = d;
                            best = i;
                        } else if (d < d2) {
                            d2 = d;
                        }
                    }
                    int v;
                    if (d1 > maxDistance) {
                        v = UNSURE | NONE;
                    } else if (d1 > sureRadius || d2 - d1 < margin) {
                        v = UNSURE | best;
                    } else {
                        v = best;
                    }
                    lut.table[(r << 12) | (g << 6) | b] = (byte) v;
                }
            }
        }
        return lut;
    }

    public QuantizerFit fit() {
        return fit;
    }

    /** The class id of one RGB colour (0..24), or -1 when no class is near. */
    public int classOf(int r, int g, int b) {
        int v = table[ColorHistogram.bin(r, g, b)] & NONE;
        return v == NONE ? -1 : v;
    }

    /** Whether a colour is sure (not a blend, not an outlier). */
    public boolean isSure(int r, int g, int b) {
        return (table[ColorHistogram.bin(r, g, b)] & UNSURE) == 0;
    }

    /**
     * Maps interleaved BGR bytes to raw table entries in {@code codes} (class id, {@link #UNSURE}
     * bit, {@link #NONE} for no class).
     *
     * @return the number of unsure pixels
     */
    public int lookup(byte[] bgr, byte[] codes) {
        byte[] t = table;
        int unsure = 0;
        for (int i = 0, p = 0; p < codes.length; i += 3, p++) {
            byte v = t[((bgr[i + 2] & 0xfc) << 10) | ((bgr[i + 1] & 0xfc) << 4) | ((bgr[i] & 0xff) >> 2)];
            codes[p] = v;
            if (v < 0) { // the UNSURE bit is the sign bit
                unsure++;
            }
        }
        return unsure;
    }

    /** Maps a BGR Mat to a class map by the table alone (no border resolution): the naive path. */
    public Mat mapPlain(Mat bgr) {
        byte[] codes = new byte[bgr.rows() * bgr.cols()];
        lookup(BgrPixels.bytes(bgr), codes);
        for (int p = 0; p < codes.length; p++) {
            int c = codes[p] & NONE;
            codes[p] = (byte) (c == NONE ? 0 : c);
        }
        return BgrPixels.classMap(codes, bgr.cols(), bgr.rows());
    }
}
