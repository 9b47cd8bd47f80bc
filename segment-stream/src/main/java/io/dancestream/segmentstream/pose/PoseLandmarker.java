package io.dancestream.segmentstream.pose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.dancestream.segmentstream.tfjs.GraphModel;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The BlazePose landmark model on one ROI: rotation-aware affine crop to 256×256 RGB in [0, 1],
 * one inference, landmarks projected back to the frame.
 */
final class PoseLandmarker {

    static final int INPUT = 256;
    private static final List<String> OUTPUTS = List.of("ld_3d", "output_poseflag", "activation_segmentation");

    /** Read-only border fill, shared so a frame allocates no native Scalar. */
    private static final Scalar BLACK = new Scalar(0, 0, 0, 0);

    private final GraphModel model;

    PoseLandmarker(GraphModel model) {
        this.model = model;
    }

    PoseEstimate estimate(Mat bgr, Roi roi) {
        float[] input = InputBuffers.floats(INPUT * INPUT * 3);
        try (Mat m = roi.cropToFrame(INPUT); Mat crop = new Mat(); Size size = new Size(INPUT, INPUT)) {
            warpAffine(bgr, crop, m, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT, BLACK);
            ImageTensors.toRgbFloats(crop, 1.0 / 255, 0, input);
        }
        Map<String, float[]> out = model.run(input, new long[] {1, INPUT, INPUT, 3}, OUTPUTS);
        float[] ld = out.get("ld_3d");
        float[] crop = new float[ld.length];
        float[] frame = new float[ld.length];
        double zScale = roi.size() / INPUT;
        for (int i = 0; i < PoseEstimate.LANDMARKS; i++) {
            int o = i * PoseEstimate.STRIDE;
            float x = ld[o];
            float y = ld[o + 1];
            float vis = sigmoid(ld[o + 3]);
            float pres = sigmoid(ld[o + 4]);
            crop[o] = x;
            crop[o + 1] = y;
            crop[o + 2] = ld[o + 2];
            crop[o + 3] = vis;
            crop[o + 4] = pres;
            frame[o] = (float) roi.frameX(x, y, INPUT);
            frame[o + 1] = (float) roi.frameY(x, y, INPUT);
            frame[o + 2] = (float) (ld[o + 2] * zScale);
            frame[o + 3] = vis;
            frame[o + 4] = pres;
        }
        return new PoseEstimate(roi, crop, frame, out.get("output_poseflag")[0], out.get("activation_segmentation"));
    }

    /** MediaPipe's tracking ROI from the auxiliary landmarks 33 (hip centre) and 34 (scale). */
    static Roi nextRoi(PoseEstimate e) {
        return Roi.fromAlignmentPoints(e.frameX(33), e.frameY(33), e.frameX(34), e.frameY(34), Detection.ROI_SCALE);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
