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
    private final float[] anchors = SsdAnchors.centres(INPUT);

    PoseDetector(GraphModel model) {
        this.model = model;
    }

    /** People in the frame, most confident first (frame pixels). */
    List<Detection> detect(Mat bgr) {
        return detectIn(bgr, 0, 0);
    }

    /**
     * People too small for the whole-frame pass (the detector sees the frame at 224 px, where a
     * distant pedestrian's face is a few pixels): overlapping square tiles of 60% of the short
     * side, half a tile apart, each detected on its own and merged by NMS.
     */
    List<Detection> detectTiled(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        int tile = (int) Math.round(Math.min(w, h) * TILE_FRACTION);
        List<Detection> all = new ArrayList<>();
        for (int y : tileStarts(h, tile)) {
            for (int x : tileStarts(w, tile)) {
                try (Mat view = new Mat(bgr, new Rect(x, y, tile, tile))) {
                    all.addAll(detectIn(view, x, y));
                }
            }
        }
        return weightedNms(all);
    }

    static int[] tileStarts(int length, int tile) {
        int steps = Math.max(0, (int) Math.ceil((length - tile) / (tile / 2.0)));
        int[] starts = new int[steps + 1];
        for (int i = 0; i <= steps; i++) {
            starts[i] = steps == 0 ? 0 : (int) Math.round((double) (length - tile) * i / steps);
        }
        return starts;
    }

    private List<Detection> detectIn(Mat bgr, int offsetX, int offsetY) {
        int w = bgr.cols();
        int h = bgr.rows();
        double scale = Math.min((double) INPUT / w, (double) INPUT / h);
        int rw = Math.max(1, (int) Math.round(w * scale));
        int rh = Math.max(1, (int) Math.round(h * scale));
        int padX = (INPUT - rw) / 2;
        int padY = (INPUT - rh) / 2;
        float[] input = new float[INPUT * INPUT * 3];
        try (Mat small = new Mat(); Mat boxed = new Mat()) {
            resize(bgr, small, new Size(rw, rh), 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
            copyMakeBorder(small, boxed, padY, INPUT - rh - padY, padX, INPUT - rw - padX, BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
            ImageTensors.toRgbFloats(boxed, 2.0 / 255, -1.0, input);
        }
        float[] raw = model.run(input, new long[] {1, INPUT, INPUT, 3}, List.of("person")).get("person");
        List<Detection> candidates = new ArrayList<>();
        int n = raw.length / VALUES;
        for (int i = 0; i < n; i++) {
            int o = i * VALUES;
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
            for (int k = 0; k < 4; k++) {
                kp[2 * k] = offsetX + toFrame(raw[o + 5 + 2 * k] / INPUT + ax, padX, scale);
                kp[2 * k + 1] = offsetY + toFrame(raw[o + 6 + 2 * k] / INPUT + ay, padY, scale);
            }
            candidates.add(new Detection(score, offsetX + toFrame(cx - bw / 2, padX, scale),
                    offsetY + toFrame(cy - bh / 2, padY, scale), offsetX + toFrame(cx + bw / 2, padX, scale),
                    offsetY + toFrame(cy + bh / 2, padY, scale), kp));
        }
        return weightedNms(candidates);
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
