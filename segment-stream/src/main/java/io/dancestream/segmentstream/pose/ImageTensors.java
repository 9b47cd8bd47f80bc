package io.dancestream.segmentstream.pose;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;

/** BGR 8-bit Mats to the NHWC RGB float arrays the TF.js models take. */
final class ImageTensors {

    private ImageTensors() {
    }

    /** {@code value * scale + offset} per channel, RGB order, into {@code out} (length h·w·3). */
    static void toRgbFloats(Mat bgr, double scale, double offset, float[] out) {
        toRgbFloats(bgr, scale, offset, out, 0);
    }

    /** As above, into {@code out} from index {@code at} (one image of a batch). */
    static void toRgbFloats(Mat bgr, double scale, double offset, float[] out, int at) {
        try (Mat rgb = new Mat(); Mat f = new Mat()) {
            cvtColor(bgr, rgb, COLOR_BGR2RGB);
            rgb.convertTo(f, CV_32FC3, scale, offset);
            FloatBuffer buf = f.createBuffer();
            buf.get(out, at, bgr.rows() * bgr.cols() * 3);
        }
    }
}
