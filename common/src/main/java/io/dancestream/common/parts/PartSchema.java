package io.dancestream.common.parts;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Operations on class-id maps (8-bit, one id per pixel): palette colouring and horizontal
 * mirroring, which must swap every left/right class pair or a model learns the wrong side.
 */
public final class PartSchema {

    private static final byte[] MIRROR = new byte[256];
    private static final byte[] PALETTE_BGR = new byte[256 * 3];
    /** 256×1 lookup tables for OpenCV's LUT: a whole map is mapped in one vectorised pass. */
    private static final Mat MIRROR_LUT;
    private static final Mat PALETTE_LUT;

    static {
        for (int i = 0; i < 256; i++) {
            MIRROR[i] = (byte) i;
        }
        for (BodyPart p : BodyPart.values()) {
            MIRROR[p.id()] = (byte) p.mirrored().id();
            PALETTE_BGR[3 * p.id()] = (byte) p.blue();
            PALETTE_BGR[3 * p.id() + 1] = (byte) p.green();
            PALETTE_BGR[3 * p.id() + 2] = (byte) p.red();
        }
        MIRROR_LUT = new Mat(1, 256, opencv_core.CV_8UC1);
        MIRROR_LUT.data().put(MIRROR, 0, 256);
        PALETTE_LUT = new Mat(1, 256, opencv_core.CV_8UC3);
        PALETTE_LUT.data().put(PALETTE_BGR, 0, 256 * 3);
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
        Mat out = new Mat();
        opencv_core.LUT(flipped, MIRROR_LUT, out);
        flipped.close();
        return out;
    }

    /**
     * Colours a class map with BodyPix's palette (background white, ids outside the schema
     * black); returns a BGR Mat.
     */
    public static Mat colorize(Mat classMap) {
        try (MatVector planes = new MatVector(classMap, classMap, classMap); Mat ids3 = new Mat()) {
            opencv_core.merge(planes, ids3);
            Mat out = new Mat();
            opencv_core.LUT(ids3, PALETTE_LUT, out);
            return out;
        }
    }
}
