package io.dancestream.segmentstream.pose;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A rotated square region of a frame, in frame pixels: what the landmark model sees. A point
 * (u, v) of an {@code n}×{@code n} crop lies at {@code centre + R(rotation) · ((u, v)/n − ½) · size}
 * in the frame, as in MediaPipe's rect-to-tensor transform.
 */
public record Roi(double cx, double cy, double size, double rotation) {

    /**
     * MediaPipe's alignment-points rect: centred on {@code (x0, y0)}, side twice the distance to
     * {@code (x1, y1)}, rotated so that the vector 0→1 points up; then scaled by {@code scale}.
     */
    public static Roi fromAlignmentPoints(double x0, double y0, double x1, double y1, double scale) {
        double side = 2 * Math.hypot(x1 - x0, y1 - y0) * scale;
        double rotation = normalize(Math.PI / 2 - Math.atan2(-(y1 - y0), x1 - x0));
        return new Roi(x0, y0, side, rotation);
    }

    static double normalize(double a) {
        return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
    }

    /** Frame x of crop point (u, v) in an n×n crop. */
    public double frameX(double u, double v, int n) {
        double du = (u / n - 0.5) * size;
        double dv = (v / n - 0.5) * size;
        return cx + Math.cos(rotation) * du - Math.sin(rotation) * dv;
    }

    /** Frame y of crop point (u, v) in an n×n crop. */
    public double frameY(double u, double v, int n) {
        double du = (u / n - 0.5) * size;
        double dv = (v / n - 0.5) * size;
        return cy + Math.sin(rotation) * du + Math.cos(rotation) * dv;
    }

    /**
     * 2×3 affine matrix (CV_64F) mapping crop pixel indices to frame pixel indices, for
     * warpAffine (pixel i covers [i, i+1) in continuous coordinates, hence the half pixels).
     */
    public Mat cropToFrame(int n) {
        double k = size / n;
        double c = Math.cos(rotation) * k;
        double s = Math.sin(rotation) * k;
        double tx = cx - (c * n / 2 - s * n / 2) + 0.5 * (c - s) - 0.5;
        double ty = cy - (s * n / 2 + c * n / 2) + 0.5 * (s + c) - 0.5;
        Mat m = new Mat(2, 3, opencv_core.CV_64F);
        try (DoubleIndexer idx = m.createIndexer()) {
            idx.put(0, 0, c);
            idx.put(0, 1, -s);
            idx.put(0, 2, tx);
            idx.put(1, 0, s);
            idx.put(1, 1, c);
            idx.put(1, 2, ty);
        }
        return m;
    }
}
