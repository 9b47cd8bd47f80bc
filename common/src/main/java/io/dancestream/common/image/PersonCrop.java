package io.dancestream.common.image;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The square region of a frame a person-centred generator sees: the class map's foreground box
 * (ids != 0) plus {@link #MARGIN} of its larger side on every side, made square around the box's
 * centre. Square so that scaling it to the model's size² never stretches the person; it may
 * reach outside the frame, and those pixels are padded (class 0 for maps, a constant colour for
 * frames). The trainer cuts its samples and transfer-stream its inputs with this one class, so
 * train and serve see the same geometry.
 *
 * @param x left edge in frame pixels (may be negative)
 * @param y top edge in frame pixels (may be negative)
 * @param side width and height in frame pixels
 */
public record PersonCrop(int x, int y, int side) {

    /** Margin on each side, as a fraction of the person box's larger side. */
    public static final double MARGIN = 0.10;

    public PersonCrop {
        if (side < 1) {
            throw new IllegalArgumentException("crop side must be positive, is " + side);
        }
    }

    /** The crop around the foreground of an 8-bit class map, or empty when no pixel is a person. */
    public static Optional<PersonCrop> around(Mat classMap) {
        return around(classMap, MARGIN);
    }

    public static Optional<PersonCrop> around(Mat classMap, double margin) {
        return PersonBox.of(classMap).map(b -> b.crop(margin));
    }

    /** The square crop of a person box (x, y, w, h) with {@code margin} of its larger side around it. */
    public static PersonCrop ofBox(int bx, int by, int bw, int bh, double margin) {
        int larger = Math.max(bw, bh);
        int side = (int) Math.round(larger * (1 + 2 * margin));
        double cx = bx + bw / 2.0;
        double cy = by + bh / 2.0;
        return new PersonCrop((int) Math.round(cx - side / 2.0), (int) Math.round(cy - side / 2.0), side);
    }

    public double centerX() {
        return x + side / 2.0;
    }

    public double centerY() {
        return y + side / 2.0;
    }

    /** The class map's crop at size² (nearest neighbour: ids must not blend); outside the frame is class 0. */
    public Mat cutIds(Mat classMap, int size) {
        return cut(classMap, size, new Scalar(0), INTER_NEAREST);
    }

    /**
     * The image's crop at size² (area resampling when shrinking, linear when enlarging);
     * outside the frame is {@code pad} (in the image's channel order).
     */
    public Mat cutImage(Mat image, int size, Scalar pad) {
        return cut(image, size, pad, size < side ? INTER_AREA : INTER_LINEAR);
    }

    private Mat cut(Mat src, int size, Scalar pad, int interpolation) {
        try (Mat square = new Mat(side, side, src.type(), pad)) {
            copyInside(src, square);
            Mat out = new Mat();
            if (size == side) {
                square.copyTo(out);
            } else {
                try (Size sz = new Size(size, size)) {
                    resize(square, out, sz, 0, 0, interpolation);
                }
            }
            return out;
        }
    }

    /** Copies the part of {@code frame} this crop covers into {@code square} (side², same type). */
    private void copyInside(Mat frame, Mat square) {
        Rect inFrame = overlap(frame.cols(), frame.rows());
        if (inFrame == null) {
            return;
        }
        try (inFrame; Rect inSquare = new Rect(inFrame.x() - x, inFrame.y() - y, inFrame.width(), inFrame.height());
             Mat from = frame.apply(inFrame); Mat to = square.apply(inSquare)) {
            from.copyTo(to);
        }
    }

    /** The part of this crop inside a cols×rows frame, in frame pixels, or null when none is. */
    public Rect overlap(int cols, int rows) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(cols, x + side);
        int y1 = Math.min(rows, y + side);
        return x1 <= x0 || y1 <= y0 ? null : new Rect(x0, y0, x1 - x0, y1 - y0);
    }
}
