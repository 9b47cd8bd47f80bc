package io.dancestream.bench.transfer;

import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.BodyPart;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Person-shaped class maps for the benchmark: head, torso, arms and legs in their BodyPix ids,
 * swaying with the frame index, so PNG decoding and rendering see realistic content. (Rendering
 * cost does not depend on the pose; the pipeline's own part maps come from segment-stream.)
 */
final class SyntheticPartMaps {

    private SyntheticPartMaps() {
    }

    static byte[] png(int width, int height, int frame) {
        try (Mat m = draw(width, height, frame)) {
            return ImageCodec.encodeLabelPng(m);
        }
    }

    static Mat draw(int w, int h, int frame) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0));
        int cx = w / 2 + (int) (w * 0.1 * Math.sin(frame / 15.0));
        int u = h / 16;
        int swing = (int) (u * 2 * Math.sin(frame / 6.0));
        int thick = Math.max(2, u);
        limb(m, cx - u, 6 * u, cx - 3 * u, 9 * u + swing, thick, "left_upper_arm_front");
        limb(m, cx - 3 * u, 9 * u + swing, cx - 4 * u, 11 * u, thick, "left_lower_arm_front");
        limb(m, cx + u, 6 * u, cx + 3 * u, 9 * u - swing, thick, "right_upper_arm_front");
        limb(m, cx + 3 * u, 9 * u - swing, cx + 4 * u, 11 * u, thick, "right_lower_arm_front");
        limb(m, cx - u, 10 * u, cx - u - swing / 2, 12 * u, thick, "left_upper_leg_front");
        limb(m, cx - u - swing / 2, 12 * u, cx - u, 15 * u, thick, "left_lower_leg_front");
        limb(m, cx + u, 10 * u, cx + u + swing / 2, 12 * u, thick, "right_upper_leg_front");
        limb(m, cx + u + swing / 2, 12 * u, cx + u, 15 * u, thick, "right_lower_leg_front");
        rectangle(m, new Point(cx - 2 * u, 5 * u), new Point(cx + 2 * u, 10 * u), id("torso_front"), -1, 8, 0);
        ellipse(m, new Point(cx - u / 2, 3 * u), new Size(u / 2 + 1, u + 1), 0, 90, 270, id("left_face"), -1, 8, 0);
        ellipse(m, new Point(cx - u / 2, 3 * u), new Size(u / 2 + 1, u + 1), 0, -90, 90, id("right_face"), -1, 8, 0);
        return m;
    }

    private static void limb(Mat m, int x0, int y0, int x1, int y1, int thick, String part) {
        line(m, new Point(x0, y0), new Point(x1, y1), id(part), thick, 8, 0);
    }

    private static Scalar id(String bodyPixName) {
        for (BodyPart p : BodyPart.values()) {
            if (p.bodyPixName().equals(bodyPixName)) {
                return new Scalar(p.id());
            }
        }
        throw new IllegalArgumentException(bodyPixName);
    }
}
