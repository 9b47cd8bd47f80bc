package io.dancestream.segmentstream.quantize;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Copies between OpenCV Mats and Java arrays, and the luma of a colour. The per-pixel loops of this package run on
 * plain {@code byte[]}s: one bulk copy is much faster than an indexer call per pixel.
 */
public final class BgrPixels {

    private BgrPixels() {
    }

    /** The bytes of an 8-bit Mat (BGR interleaved for 3 channels), row-major, no padding. */
    public static byte[] bytes(Mat mat) {
        Mat m = mat.isContinuous() ? mat : mat.clone();
        try {
            byte[] out = new byte[(int) (m.total() * m.channels())];
            m.data().get(out, 0, out.length);
            return out;
        } finally {
            if (m != mat) {
                m.close();
            }
        }
    }

    /** Luma (BT.601, as JPEG) of an RGB colour or colour difference. */
    static double luma(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    static Mat classMap(byte[] ids, int width, int height) {
        Mat m = new Mat(height, width, CV_8UC1);
        m.data().put(ids, 0, ids.length);
        return m;
    }

    public static Mat bgr(byte[] bgr, int width, int height) {
        Mat m = new Mat(height, width, CV_8UC3);
        m.data().put(bgr, 0, bgr.length);
        return m;
    }
}
