package io.dancestream.trainer.eval;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Temporal steadiness of rendered video against the real video's own motion, over consecutive
 * frames, inside the person: the union of both frames' part-map foregrounds, dilated. The person
 * box (also reported, as the issue first defined it) holds scene pixels as well, and those are the
 * still plate in a render but sensor noise, compression and passers-by in the real video, which
 * pushes the box ratio below 1 for any renderer; the person region is where the renderer paints.
 * <ul>
 *   <li><b>flicker ratio</b>: mean |render(t) − render(t−1)| over mean |real(t) − real(t−1)|.
 *       1.0 changes as much as reality does; above it the render flickers; far below it the render
 *       is frozen or smeared (a still plate scores 0).</li>
 *   <li><b>warping error</b>: mean |render(t) − W(render(t−1))|, W the dense optical flow
 *       (Farnebäck) computed on the real frames t → t−1: what changes beyond the motion that really
 *       happened. The real video's own warping error is the floor (flow is not perfect).</li>
 * </ul>
 * Means of absolute differences per channel value, in 0..1, summed over pairs before dividing.
 */
final class FlickerMeter {

    private final Map<String, double[]> renders = new LinkedHashMap<>(); // name -> {diff, warp, box diff} sums
    private double realDiff;
    private double realWarp;
    private double realBoxDiff;
    private int pairs;

    /** One renderer's steadiness: in the person region, and the flicker ratio over the whole person box. */
    record Flicker(double ratio, double warpError, double boxRatio) {
    }

    /** The flow of one consecutive real pair and the region it is measured in; close after use. */
    final class Pair implements AutoCloseable {
        private final Mat map = new Mat();
        private final Rect region;
        private final Mat mask;

        private Pair(Mat realPrev, Mat real, Rect region, Mat mask) {
            this.region = region;
            this.mask = mask;
            try (Mat g0 = new Mat(); Mat g1 = new Mat(); Mat flow = new Mat()) {
                cvtColor(real, g1, COLOR_BGR2GRAY);
                cvtColor(realPrev, g0, COLOR_BGR2GRAY);
                // for each pixel of frame t, where it was in t-1 (OpenCV's defaults for video, 3 levels)
                calcOpticalFlowFarneback(g1, g0, flow, 0.5, 3, 15, 3, 5, 1.2, 0);
                int w = flow.cols();
                int h = flow.rows();
                map.create(h, w, opencv_core.CV_32FC2);
                FloatBuffer f = flow.createBuffer();
                FloatBuffer m = map.createBuffer();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = 2 * (y * w + x);
                        m.put(i, x + f.get(i));
                        m.put(i + 1, y + f.get(i + 1));
                    }
                }
            }
            realDiff += meanAbs(real, realPrev, mask);
            realBoxDiff += meanAbs(real, realPrev, region);
            try (Mat warped = warp(realPrev)) {
                realWarp += meanAbs(real, warped, mask);
            }
            pairs++;
        }

        /** Adds renderer {@code name}'s consecutive renders of this pair. */
        void add(String name, Mat renderPrev, Mat render) {
            double[] acc = renders.computeIfAbsent(name, k -> new double[3]);
            acc[0] += meanAbs(render, renderPrev, mask);
            acc[2] += meanAbs(render, renderPrev, region);
            try (Mat warped = warp(renderPrev)) {
                acc[1] += meanAbs(render, warped, mask);
            }
        }

        private Mat warp(Mat previous) {
            Mat out = new Mat();
            try (Mat none = new Mat()) {
                remap(previous, out, map, none, INTER_LINEAR, BORDER_REPLICATE, new org.bytedeco.opencv.opencv_core.Scalar());
            }
            return out;
        }

        @Override
        public void close() {
            map.close();
            region.close();
            mask.close();
        }
    }

    /**
     * Starts a consecutive pair of real frames (same size, BGR), measured inside the person region
     * of their two part maps, dilated by {@code dilatePx}, and inside {@code box}. Takes {@code box}.
     */
    Pair pair(Mat realPrev, Mat real, Mat mapPrev, Mat map, Rect box, int dilatePx) {
        Mat mask = new Mat();
        try (Mat a = new Mat(); Mat b = new Mat(); Mat k = org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement(
                org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE,
                new org.bytedeco.opencv.opencv_core.Size(2 * dilatePx + 1, 2 * dilatePx + 1))) {
            org.bytedeco.opencv.global.opencv_imgproc.threshold(mapPrev, a, 0, 255,
                    org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY);
            org.bytedeco.opencv.global.opencv_imgproc.threshold(map, b, 0, 255,
                    org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY);
            opencv_core.bitwise_or(a, b, a);
            org.bytedeco.opencv.global.opencv_imgproc.dilate(a, mask, k);
        }
        return new Pair(realPrev, real, box, mask);
    }

    int pairs() {
        return pairs;
    }

    /** The renderer's steadiness; NaN when no pair was measured. */
    Flicker of(String name) {
        double[] acc = renders.get(name);
        if (acc == null || pairs == 0) {
            return new Flicker(Double.NaN, Double.NaN, Double.NaN);
        }
        return new Flicker(realDiff > 0 ? acc[0] / realDiff : Double.NaN, acc[1] / pairs,
                realBoxDiff > 0 ? acc[2] / realBoxDiff : Double.NaN);
    }

    /** The real video's own warping error (the floor any render can reach). */
    double realWarpError() {
        return pairs == 0 ? Double.NaN : realWarp / pairs;
    }

    /** Mean |a − b| where {@code mask} is set, per channel value, in 0..1. */
    static double meanAbs(Mat a, Mat b, Mat mask) {
        try (Mat d = new Mat()) {
            opencv_core.absdiff(a, b, d);
            org.bytedeco.opencv.opencv_core.Scalar s = opencv_core.mean(d, mask);
            int ch = d.channels();
            double sum = 0;
            for (int c = 0; c < ch; c++) {
                sum += s.get(c);
            }
            return sum / ch / 255.0;
        }
    }

    /** Mean |a − b| over the region, per channel value, in 0..1. */
    static double meanAbs(Mat a, Mat b, Rect region) {
        try (Mat ra = a.apply(region); Mat rb = b.apply(region); Mat d = new Mat()) {
            opencv_core.absdiff(ra, rb, d);
            org.bytedeco.opencv.opencv_core.Scalar s = opencv_core.mean(d);
            int ch = d.channels();
            double sum = 0;
            for (int c = 0; c < ch; c++) {
                sum += s.get(c);
            }
            return sum / ch / 255.0;
        }
    }
}
