package io.dancestream.common.image;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Re-projects a rendered person crop into another crop of the same frame: the two-frame
 * generator is conditioned on its previous output, which was rendered in the previous frame's
 * {@link PersonCrop}, so before it is fed back it is scaled and translated into the current
 * frame's crop, pixel for pixel where both crops see the same frame point. What the previous
 * crop did not cover is black, the same as "no previous frame" (uint8 0, -1 in the generator's
 * range). The mapping is per axis {@code src = a·dst + b} in pixel indices (pixel centres at
 * +0.5), so transfer-stream (OpenCV, {@link #apply}) and the trainer (TensorFlow's
 * CropAndResize, from {@link #axis}) move pixels the same way.
 */
public final class CropReprojection {

    private CropReprojection() {
    }

    /** One axis of the mapping: source pixel index = {@code scale}·destination index + {@code offset}. */
    public record Axis(double scale, double offset) {
    }

    /**
     * The mapping along one axis from pixels of a crop at {@code to} (its left or top edge) to
     * pixels of a crop at {@code from}, both {@code size} pixels across their sides in frame pixels.
     */
    public static Axis axis(double fromEdge, double fromSide, double toEdge, double toSide, int size) {
        double a = toSide / fromSide;
        double b = (toEdge - fromEdge) * size / fromSide + 0.5 * a - 0.5;
        return new Axis(a, b);
    }

    /**
     * {@code previous} (size², rendered at crop {@code from}) as seen from crop {@code to}: a new
     * size² Mat of the same type, black where {@code from} did not reach. The caller owns it.
     */
    public static Mat apply(Mat previous, PersonCrop from, PersonCrop to) {
        int size = previous.cols();
        if (previous.rows() != size) {
            throw new IllegalArgumentException("a crop is square, this one is " + previous.cols() + "x" + previous.rows());
        }
        Mat out = new Mat();
        if (from.equals(to)) {
            previous.copyTo(out);
            return out;
        }
        Axis x = axis(from.x(), from.side(), to.x(), to.side(), size);
        Axis y = axis(from.y(), from.side(), to.y(), to.side(), size);
        try (Mat m = new Mat(2, 3, opencv_core.CV_64FC1); Size sz = new Size(size, size); Scalar black = new Scalar(0, 0, 0, 0)) {
            try (org.bytedeco.javacpp.indexer.DoubleIndexer ix = m.createIndexer()) {
                ix.put(0, 0, x.scale()).put(0, 1, 0).put(0, 2, x.offset());
                ix.put(1, 0, 0).put(1, 1, y.scale()).put(1, 2, y.offset());
            }
            // the matrix maps destination to source pixels: WARP_INVERSE_MAP
            warpAffine(previous, out, m, sz, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT, black);
        }
        return out;
    }
}
