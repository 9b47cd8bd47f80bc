package io.dancestream.common.image;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Puts a rendered person crop back into a frame: the crop is scaled to its box and alpha-blended
 * over what is there (the plate), alpha being the part map's foreground feathered by a few
 * pixels so the person's outline does not show a hard, aliased edge. Only the person is taken
 * from the render: the generator's own background never reaches the frame.
 */
public final class PersonBlend {

    /** Feather of the alpha edge, in output pixels. */
    public static final int FEATHER_PX = 2;

    private PersonBlend() {
    }

    /**
     * Blends {@code rendered} (BGR, any square size) into {@code frame} (BGR, modified) at
     * {@code box}, with alpha from {@code ids} (8-bit class ids, box.side²: the person's part map
     * at the box's resolution; id != 0 is the person). Parts of the box outside the frame are dropped.
     */
    public static void blend(Mat frame, Mat rendered, Mat ids, PersonCrop box, int featherPx) {
        if (ids.cols() != box.side() || ids.rows() != box.side() || ids.type() != opencv_core.CV_8UC1) {
            throw new IllegalArgumentException("alpha ids must be 8-bit " + box.side() + "², are " + ids.cols() + "x"
                    + ids.rows() + " type " + ids.type());
        }
        Rect inFrame = box.overlap(frame.cols(), frame.rows());
        if (inFrame == null) {
            return;
        }
        int side = box.side();
        // 8-bit fixed point throughout: the float version moved four times the bytes per pixel and,
        // over a 500-px box, cost more than the generator itself (docs/profile-realtime.md)
        try (inFrame; Mat scaled = new Mat(); Size sz = new Size(side, side); Mat alpha = alpha(ids, featherPx);
             Rect inBox = new Rect(inFrame.x() - box.x(), inFrame.y() - box.y(), inFrame.width(), inFrame.height());
             Mat target = frame.apply(inFrame); Mat a3 = new Mat(); Mat inverse = new Mat(); Mat person = new Mat();
             Mat plate = new Mat()) {
            resize(rendered, scaled, sz, 0, 0, side < rendered.cols() ? INTER_AREA : INTER_LINEAR);
            try (Mat s = scaled.apply(inBox); Mat a = alpha.apply(inBox)) {
                cvtColor(a, a3, COLOR_GRAY2BGR);
                opencv_core.bitwise_not(a3, inverse); // 255 − a
                // render·a/255 + plate·(255 − a)/255, each rounded: exact where a is 0 or 255
                opencv_core.multiply(s, a3, person, 1.0 / 255, -1);
                opencv_core.multiply(target, inverse, plate, 1.0 / 255, -1);
                opencv_core.add(person, plate, target);
            }
        }
    }

    /** Foreground (id != 0) as 8-bit 0/255, blurred so the edge ramps over about {@code featherPx} each way. */
    static Mat alpha(Mat ids, int featherPx) {
        Mat a = new Mat();
        threshold(ids, a, 0, 255, THRESH_BINARY);
        if (featherPx > 0) {
            // pull the ramp 1 px inwards: outside the outline the crop holds the generator's
            // background, which would otherwise show as a halo; more would eat thin limbs
            try (Mat k3 = getStructuringElement(MORPH_RECT, new Size(3, 3))) {
                erode(a, a, k3);
            }
            int k = 2 * featherPx + 1;
            try (Size ks = new Size(k, k)) {
                GaussianBlur(a, a, ks, 0);
            }
        }
        return a;
    }
}
