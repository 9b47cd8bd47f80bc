package io.dancestream.common.parts;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Operations on class-id maps (8-bit, one id per pixel): palette colouring and horizontal
 * mirroring, which must swap every left/right class pair or a model learns the wrong side.
 */
public final class PartSchema {

    private static final byte[] MIRROR = new byte[256];
    private static final byte[][] PALETTE_BGR = new byte[256][];

    static {
        for (int i = 0; i < 256; i++) {
            MIRROR[i] = (byte) i;
            PALETTE_BGR[i] = new byte[] {0, 0, 0};
        }
        for (BodyPart p : BodyPart.values()) {
            MIRROR[p.id()] = (byte) p.mirrored().id();
            PALETTE_BGR[p.id()] = new byte[] {(byte) p.blue(), (byte) p.green(), (byte) p.red()};
        }
    }

    private PartSchema() {
    }

    /** The class id a part gets after a horizontal flip (ids outside the schema map to themselves). */
    public static int mirrorId(int id) {
        return MIRROR[id & 0xff] & 0xff;
    }

    /** Flips a class map horizontally and swaps left/right ids; returns a new Mat. */
    public static Mat mirror(Mat classMap) {
        Mat flipped = new Mat();
        opencv_core.flip(classMap, flipped, 1);
        try (UByteIndexer idx = flipped.createIndexer()) {
            long rows = flipped.rows();
            long cols = flipped.cols();
            for (long y = 0; y < rows; y++) {
                for (long x = 0; x < cols; x++) {
                    idx.put(y, x, mirrorId(idx.get(y, x)));
                }
            }
        }
        return flipped;
    }

    /** Colours a class map with BodyPix's palette (background white); returns a BGR Mat. */
    public static Mat colorize(Mat classMap) {
        int rows = classMap.rows();
        int cols = classMap.cols();
        Mat out = new Mat(rows, cols, opencv_core.CV_8UC3);
        try (UByteIndexer in = classMap.createIndexer(); UByteIndexer o = out.createIndexer()) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    byte[] c = PALETTE_BGR[in.get(y, x)];
                    o.put(y, x, 0, c[0] & 0xff);
                    o.put(y, x, 1, c[1] & 0xff);
                    o.put(y, x, 2, c[2] & 0xff);
                }
            }
        }
        return out;
    }
}
