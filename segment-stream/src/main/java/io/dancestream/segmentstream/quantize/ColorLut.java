package io.dancestream.segmentstream.quantize;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A fit compiled into a 64³ table (6 bits per channel, 256 KiB): RGB → class id. Mapping a
 * mask is one table read per pixel, no distance search at run time. A bin whose colour is
 * farther than {@code maxDistance} from every centroid is {@link #UNMATCHED}; it maps to
 * background and is counted, so a mask without palette colours becomes all background.
 *
 * <p>6 bits lose at most 2 levels per channel next to a decision border, which is well under
 * the JPEG noise of a captured mask; a 2^24 table would be 64x larger and miss the cache.
 */
public final class ColorLut {

    /** Table value of a colour that is no class. */
    static final byte UNMATCHED = (byte) 255;

    private final byte[] table = new byte[ColorHistogram.BINS];
    private final QuantizerFit fit;

    private ColorLut(QuantizerFit fit) {
        this.fit = fit;
    }

    public static ColorLut compile(QuantizerFit fit) {
        return compile(fit, PaletteKMeans.DEFAULT_MAX_DISTANCE);
    }

    public static ColorLut compile(QuantizerFit fit, double maxDistance) {
        ColorLut lut = new ColorLut(fit);
        double[][] cent = fit.centroids();
        double maxD2 = maxDistance * maxDistance;
        for (int r = 0; r < 64; r++) {
            for (int g = 0; g < 64; g++) {
                for (int b = 0; b < 64; b++) {
                    // the bin's centre colour
                    int best = PaletteKMeans.nearest(cent, (r << 2) + 1.5, (g << 2) + 1.5, (b << 2) + 1.5, maxD2);
                    lut.table[(r << 12) | (g << 6) | b] = best < 0 ? UNMATCHED : (byte) best;
                }
            }
        }
        return lut;
    }

    public QuantizerFit fit() {
        return fit;
    }

    /** The class id of one RGB colour (0..24, or 255 when no class is near). */
    public int classOf(int r, int g, int b) {
        return table[ColorHistogram.bin(r, g, b)] & 0xff;
    }

    /**
     * Maps interleaved BGR bytes to class ids in {@code ids}; unmatched colours become 0.
     *
     * @return the number of unmatched pixels
     */
    public int map(byte[] bgr, byte[] ids) {
        byte[] t = table;
        int unmatched = 0;
        for (int i = 0, p = 0; p < ids.length; i += 3, p++) {
            byte id = t[((bgr[i + 2] & 0xfc) << 10) | ((bgr[i + 1] & 0xfc) << 4) | ((bgr[i] & 0xff) >> 2)];
            if (id == UNMATCHED) {
                unmatched++;
                id = 0;
            }
            ids[p] = id;
        }
        return unmatched;
    }

    /** Maps a BGR Mat to a new CV_8UC1 class map (unmatched colours → background). */
    public Mat map(Mat bgr) {
        byte[] in = BgrPixels.bytes(bgr);
        byte[] ids = new byte[bgr.rows() * bgr.cols()];
        map(in, ids);
        return BgrPixels.classMap(ids, bgr.cols(), bgr.rows());
    }
}
