package io.dancestream.segmentstream.pose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.segmentstream.tfjs.GraphModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The BlazePose person detector (SSD, 2254 anchors) as MediaPipe runs it: the frame is
 * letterboxed to 224×224 in [-1, 1], boxes and keypoints are decoded against the anchors,
 * scores pass a sigmoid and a 0.5 threshold, overlapping detections are merged by weighted NMS.
 */
final class PoseDetector {

    static final int INPUT = 224;
    private static final int VALUES = 13; // score logit, box (4), 4 keypoints (8)
    private static final float MIN_SCORE = 0.5f;
    private static final float NMS_IOU = 0.3f;
    private static final double TILE_FRACTION = 0.6;

    private final GraphModel model;
    /** Read-only letterbox fill, shared so a frame allocates no native Scalar. */
    private static final Scalar BLACK = new Scalar(0, 0, 0, 0);

    private final float[] anchors = SsdAnchors.centres(INPUT);

    PoseDetector(GraphModel model) {
        this.model = model;
    }

    /** People in the frame, most confident first (frame pixels). */
    List<Detection> detect(Mat bgr) {
        return detectIn(List.of(bgr), new int[] {0}, new int[] {0}).get(0);
    }

    /**
     * People too small for the whole-frame pass (the detector sees the frame at 224 px, where a
     * distant pedestrian's face is a few pixels): overlapping square tiles of 60% of the short
     * side, half a tile apart, each detected on its own and merged by NMS. The tiles go through
     * the model as one batch: a 640×480 frame has 12, and one batch-12 run costs about two
     * thirds of twelve batch-1 runs on two threads (docs/profile-realtime.md). {@code count} of
     * the tiles (at most all), starting at tile {@code first} (row-major, wrapping around): a
     * caller spreads the pass over several frames, or leaves out a tile it already searched.
     */
    List<Detection> detectTiled(Mat bgr, int first, int count) {
        int[][] origins = tileOrigins(bgr.cols(), bgr.rows(), first, count);
        int tile = tileSide(bgr.cols(), bgr.rows());
        List<Mat> views = new ArrayList<>(origins[0].length);
        try {
            for (int k = 0; k < origins[0].length; k++) {
                views.add(new Mat(bgr, new Rect(origins[0][k], origins[1][k], tile, tile)));
            }
            List<Detection> all = new ArrayList<>();
            detectIn(views, origins[0], origins[1]).forEach(all::addAll);
            return weightedNms(all);
        } finally {
            views.forEach(Mat::close);
        }
    }

    static int tileSide(int width, int height) {
        return (int) Math.round(Math.min(width, height) * TILE_FRACTION);
    }

    /**
     * The top-left corners {x[], y[]} of {@code count} tiles (at most all of them) from tile
     * {@code first} on, row-major, wrapping around.
     */
    static int[][] tileOrigins(int width, int height, int first, int count) {
        int tile = tileSide(width, height);
        int[] ys = tileStarts(height, tile);
        int[] xs = tileStarts(width, tile);
        int total = ys.length * xs.length;
        int n = Math.min(count, total);
        int[][] out = new int[2][n];
        for (int k = 0; k < n; k++) {
            int t = Math.floorMod(first + k, total);
            out[0][k] = xs[t % xs.length];
            out[1][k] = ys[t / xs.length];
        }
        return out;
    }

    /** The index of the tile whose centre is nearest to frame point (x, y). */
    static int tileAround(int width, int height, double x, double y) {
        int tile = tileSide(width, height);
        int[] ys = tileStarts(height, tile);
        int[] xs = tileStarts(width, tile);
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int t = 0; t < ys.length * xs.length; t++) {
            double dx = xs[t % xs.length] + tile / 2.0 - x;
            double dy = ys[t / xs.length] + tile / 2.0 - y;
            if (dx * dx + dy * dy < bestD) {
                bestD = dx * dx + dy * dy;
                best = t;
            }
        }
        return best;
    }

    /** How many tiles {@link #detectTiled} cuts from a frame of this size. */
    static int tileCount(int width, int height) {
        int tile = tileSide(width, height);
        return tileStarts(height, tile).length * tileStarts(width, tile).length;
    }

    static int[] tileStarts(int length, int tile) {
        int steps = Math.max(0, (int) Math.ceil((length - tile) / (tile / 2.0)));
        int[] starts = new int[steps + 1];
        for (int i = 0; i <= steps; i++) {
            starts[i] = steps == 0 ? 0 : (int) Math.round((double) (length - tile) * i / steps);
        }
        return starts;
    }

    /** Each image letterboxed into one batch, one model run, detections per image (offsets added). */
    private List<List<Detection>> detectIn(List<Mat> images, int[] offsetX, int[] offsetY) {
        int b = images.size();
        double[] scale = new double[b];
        int[] padX = new int[b];
        int[] padY = new int[b];
        float[] input = InputBuffers.floats(b * INPUT * INPUT * 3);
        for (int k = 0; k < b; k++) {
            Mat bgr = images.get(k);
            int w = bgr.cols();
            int h = bgr.rows();
            scale[k] = Math.min((double) INPUT / w, (double) INPUT / h);
            int rw = Math.max(1, (int) Math.round(w * scale[k]));
            int rh = Math.max(1, (int) Math.round(h * scale[k]));
            padX[k] = (INPUT - rw) / 2;
            padY[k] = (INPUT - rh) / 2;
            try (Mat small = new Mat(); Mat boxed = new Mat(); Size size = new Size(rw, rh)) {
                resize(bgr, small, size, 0, 0, scale[k] < 1 ? INTER_AREA : INTER_LINEAR);
                copyMakeBorder(small, boxed, padY[k], INPUT - rh - padY[k], padX[k], INPUT - rw - padX[k],
                        BORDER_CONSTANT, BLACK);
                ImageTensors.toRgbFloats(boxed, 2.0 / 255, -1.0, input, k * INPUT * INPUT * 3);
            }
        }
        float[] raw = model.run(input, new long[] {b, INPUT, INPUT, 3}, List.of("person")).get("person");
        int n = raw.length / VALUES / b;
        List<List<Detection>> out = new ArrayList<>(b);
        for (int k = 0; k < b; k++) {
            List<Detection> candidates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int o = (k * n + i) * VALUES;
                float score = sigmoid(Math.max(-100, Math.min(100, raw[o])));
                if (score < MIN_SCORE) {
                    continue;
                }
                float ax = anchors[2 * i];
                float ay = anchors[2 * i + 1];
                float cx = raw[o + 1] / INPUT + ax;
                float cy = raw[o + 2] / INPUT + ay;
                float bw = raw[o + 3] / INPUT;
                float bh = raw[o + 4] / INPUT;
                float[] kp = new float[8];
                for (int q = 0; q < 4; q++) {
                    kp[2 * q] = offsetX[k] + toFrame(raw[o + 5 + 2 * q] / INPUT + ax, padX[k], scale[k]);
                    kp[2 * q + 1] = offsetY[k] + toFrame(raw[o + 6 + 2 * q] / INPUT + ay, padY[k], scale[k]);
                }
                candidates.add(new Detection(score, offsetX[k] + toFrame(cx - bw / 2, padX[k], scale[k]),
                        offsetY[k] + toFrame(cy - bh / 2, padY[k], scale[k]),
                        offsetX[k] + toFrame(cx + bw / 2, padX[k], scale[k]),
                        offsetY[k] + toFrame(cy + bh / 2, padY[k], scale[k]), kp));
            }
            out.add(weightedNms(candidates));
        }
        return out;
    }

    private static float toFrame(float normalized, int pad, double scale) {
        return (float) ((normalized * INPUT - pad) / scale);
    }

    /** MediaPipe's weighted NMS: each cluster of overlapping boxes becomes its score-weighted mean. */
    static List<Detection> weightedNms(List<Detection> candidates) {
        List<Detection> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection best = remaining.get(0);
            List<Detection> cluster = new ArrayList<>();
            List<Detection> rest = new ArrayList<>();
            for (Detection d : remaining) {
                // best always joins its own cluster, even when its box is degenerate (IoU 0)
                (d == best || best.iou(d) > NMS_IOU ? cluster : rest).add(d);
            }
            double total = 0;
            double[] acc = new double[4 + 8];
            for (Detection d : cluster) {
                total += d.score();
                acc[0] += d.xMin() * d.score();
                acc[1] += d.yMin() * d.score();
                acc[2] += d.xMax() * d.score();
                acc[3] += d.yMax() * d.score();
                for (int k = 0; k < 8; k++) {
                    acc[4 + k] += d.keypoints()[k] * d.score();
                }
            }
            float[] kp = new float[8];
            for (int k = 0; k < 8; k++) {
                kp[k] = (float) (acc[4 + k] / total);
            }
            out.add(new Detection(best.score(), (float) (acc[0] / total), (float) (acc[1] / total),
                    (float) (acc[2] / total), (float) (acc[3] / total), kp));
            remaining = rest;
        }
        return out;
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
