package io.dancestream.trainer;

import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.vconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.image.PersonComposite;
import io.dancestream.common.parts.PartSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The held-out evaluation on the serving path: each held-out frame (the last of the stream in
 * time, see {@link PairDataset#split}) is rendered from its own part map exactly as
 * transfer-stream renders it ({@link PersonComposite}: crop → generator → placement → blend over
 * the plate) and compared with the real frame, inside the real person's box (dilated by
 * {@link #BOX_DILATE_PX}) and over the whole frame. Baselines go through the same placement and
 * plate: (a) the plate alone, (b) the mean training crop, (c) the training crop whose part map
 * has the highest mean per-class IoU with the held-out one (what a retrieval system would show).
 */
record ServingEvaluation(Scores model, Scores plateOnly, Scores meanCrop, Scores nearest, int frames) {

    static final int BOX_DILATE_PX = 8;
    private static final int SHEET_ROWS = 4;

    /** Means over the held-out frames; L1 in 0..1, PSNR in dB. */
    record Scores(double personL1, double personSsim, double personPsnr, double frameL1, double frameSsim,
                  double framePsnr) {
    }

    Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "serve", model);
        put(m, "baseline_plate", plateOnly);
        put(m, "baseline_mean_crop", meanCrop);
        put(m, "baseline_nearest", nearest);
        m.put("serve_frames", (double) frames);
        return m;
    }

    private static void put(Map<String, Double> m, String prefix, Scores s) {
        m.put(prefix + "_person_l1", s.personL1());
        m.put(prefix + "_person_ssim", s.personSsim());
        m.put(prefix + "_person_psnr", s.personPsnr());
        m.put(prefix + "_frame_l1", s.frameL1());
        m.put(prefix + "_frame_ssim", s.frameSsim());
        m.put(prefix + "_frame_psnr", s.framePsnr());
    }

    /** A table for the training summary. */
    String summary() {
        StringBuilder sb = new StringBuilder(String.format(
                "serving-path held-out evaluation, %d frames (person box dilated %d px | whole frame):%n", frames, BOX_DILATE_PX));
        sb.append(String.format("  %-22s %8s %8s %8s | %8s %8s %8s%n", "", "L1", "SSIM", "PSNR", "L1", "SSIM", "PSNR"));
        row(sb, "model", model);
        row(sb, "(a) plate only", plateOnly);
        row(sb, "(b) mean person crop", meanCrop);
        row(sb, "(c) nearest by IoU", nearest);
        sb.append(String.format("  person box: model %s (a), %s (b), %s (c) on both L1 and SSIM", beats(plateOnly),
                beats(meanCrop), beats(nearest)));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Scores s) {
        sb.append(String.format("  %-22s %8.4f %8.4f %8.2f | %8.4f %8.4f %8.2f%n", name, s.personL1(), s.personSsim(),
                s.personPsnr(), s.frameL1(), s.frameSsim(), s.framePsnr()));
    }

    /** "beats" when the model's person-box L1 is lower and SSIM higher than {@code baseline}'s. */
    String beats(Scores baseline) {
        return model.personL1() < baseline.personL1() && model.personSsim() > baseline.personSsim() ? "beats" : "does NOT beat";
    }

    /**
     * Evaluates the session's generator; null when the dataset has no plate or no held-out frames.
     *
     * @param sheet where to write the contact sheet (real │ part map │ render │ (c), a row per
     *     sampled held-out frame), or null
     */
    static ServingEvaluation of(TrainingSession session, PairDataset data, Path sheet) {
        if (data.platePng() == null || data.heldoutFrames().isEmpty()) {
            return null;
        }
        int size = session.config().size();
        int classes = session.config().classes();
        List<byte[]> trainIds = new ArrayList<>();
        List<Mat> trainCrops = new ArrayList<>();
        Acc model = new Acc();
        Acc plateOnly = new Acc();
        Acc meanCrop = new Acc();
        Acc nearest = new Acc();
        List<Mat> sheetRows = new ArrayList<>();
        int step = Math.max(1, data.heldoutFrames().size() / SHEET_ROWS);
        try (Mat plate = ImageCodec.decodeColor(data.platePng()); Mat mean = bgr(data.meanFrame(), size)) {
            for (Sample s : data.train()) {
                trainIds.add(atSize(s, size));
                trainCrops.add(cropAtSize(s, size));
            }
            for (int i = 0; i < data.heldoutFrames().size(); i++) {
                PairDataset.Frame f = data.heldoutFrames().get(i);
                try (Mat real = ImageCodec.decodeColor(f.jpeg()); Mat map = ImageCodec.decodeUnchanged(f.classMapPng())) {
                    if (real.cols() != plate.cols() || real.rows() != plate.rows()) {
                        continue; // another stream's size: the plate's scene is not this frame's
                    }
                    try (PersonComposite.Crops crops = PersonComposite.cut(List.of(map), size)) {
                        if (crops.inputs().isEmpty()) {
                            continue;
                        }
                        byte[] ids = new byte[size * size];
                        crops.inputs().get(0).data().get(ids);
                        int best = nearestByIou(ids, trainIds, classes);
                        try (Mat generated = generate(session, ids, size);
                             Mat byModel = compose(map, crops, generated, plate);
                             Mat byMean = compose(map, crops, mean, plate);
                             Mat byNearest = compose(map, crops, trainCrops.get(best), plate);
                             Rect box = personBox(map)) {
                            model.add(real, byModel, box);
                            plateOnly.add(real, plate, box);
                            meanCrop.add(real, byMean, box);
                            nearest.add(real, byNearest, box);
                            if (sheet != null && i % step == 0 && sheetRows.size() < SHEET_ROWS) {
                                sheetRows.add(sheetRow(real, map, byModel, byNearest));
                            }
                        }
                    }
                }
            }
        } finally {
            trainCrops.forEach(Mat::close);
        }
        if (sheet != null && !sheetRows.isEmpty()) {
            writeSheet(sheet, sheetRows);
        }
        sheetRows.forEach(Mat::close);
        if (model.n == 0) {
            return null;
        }
        return new ServingEvaluation(model.mean(), plateOnly.mean(), meanCrop.mean(), nearest.mean(), model.n);
    }

    private static Mat compose(Mat map, PersonComposite.Crops crops, Mat crop, Mat plate) {
        return PersonComposite.compose(List.of(map), crops, List.of(crop), plate).get(0);
    }

    /** The generator's crop for the ids, as BGR, rounded to uint8 like the exported model. */
    private static Mat generate(TrainingSession session, byte[] ids, int size) {
        float[] out = session.generate(ids, 1);
        byte[] rgb = new byte[size * size * 3];
        for (int p = 0; p < rgb.length; p++) {
            rgb[p] = (byte) Math.round(Math.max(0, Math.min(255, (out[p] + 1) * 127.5)));
        }
        return bgr(rgb, size);
    }

    private static Mat bgr(byte[] rgb, int size) {
        try (Mat m = new Mat(size, size, opencv_core.CV_8UC3)) {
            m.data().put(rgb);
            Mat out = new Mat();
            cvtColor(m, out, COLOR_RGB2BGR);
            return out;
        }
    }

    /** A training sample's ids at the model size (samples are stored at the jitter size). */
    private static byte[] atSize(Sample s, int size) {
        try (Mat ids = new Mat(s.size(), s.size(), opencv_core.CV_8UC1); Mat small = new Mat(); Size sz = new Size(size, size)) {
            ids.data().put(s.classIds());
            resize(ids, small, sz, 0, 0, INTER_NEAREST);
            byte[] out = new byte[size * size];
            small.data().get(out);
            return out;
        }
    }

    private static Mat cropAtSize(Sample s, int size) {
        try (Mat rgb = bgr(s.rgb(), s.size()); Size sz = new Size(size, size)) {
            Mat out = new Mat();
            resize(rgb, out, sz, 0, 0, INTER_AREA);
            return out;
        }
    }

    /** Index of the training crop with the highest mean per-class IoU (classes in either map, background excluded). */
    static int nearestByIou(byte[] ids, List<byte[]> train, int classes) {
        int best = 0;
        double bestIou = -1;
        for (int t = 0; t < train.size(); t++) {
            double iou = meanClassIou(ids, train.get(t), classes);
            if (iou > bestIou) {
                bestIou = iou;
                best = t;
            }
        }
        return best;
    }

    static double meanClassIou(byte[] a, byte[] b, int classes) {
        int[] inter = new int[classes];
        int[] ca = new int[classes];
        int[] cb = new int[classes];
        for (int p = 0; p < a.length; p++) {
            int x = a[p] & 0xff;
            int y = b[p] & 0xff;
            ca[x]++;
            cb[y]++;
            if (x == y) {
                inter[x]++;
            }
        }
        double sum = 0;
        int n = 0;
        for (int c = 1; c < classes; c++) {
            int union = ca[c] + cb[c] - inter[c];
            if (union > 0) {
                sum += (double) inter[c] / union;
                n++;
            }
        }
        return n == 0 ? 1 : sum / n;
    }

    /** The real person's box (part map foreground) dilated by BOX_DILATE_PX, inside the frame. */
    private static Rect personBox(Mat map) {
        try (Rect r = boundingRect(map)) {
            int x0 = Math.max(0, r.x() - BOX_DILATE_PX);
            int y0 = Math.max(0, r.y() - BOX_DILATE_PX);
            int x1 = Math.min(map.cols(), r.x() + r.width() + BOX_DILATE_PX);
            int y1 = Math.min(map.rows(), r.y() + r.height() + BOX_DILATE_PX);
            return new Rect(x0, y0, x1 - x0, y1 - y0);
        }
    }

    private static Mat sheetRow(Mat real, Mat map, Mat render, Mat nearest) {
        try (Mat parts = PartSchema.colorize(map); MatVector v = new MatVector(real, parts, render, nearest)) {
            Mat row = new Mat();
            hconcat(v, row);
            return row;
        }
    }

    private static void writeSheet(Path file, List<Mat> rows) {
        try (MatVector v = new MatVector(rows.toArray(new Mat[0])); Mat sheet = new Mat()) {
            vconcat(v, sheet);
            Files.createDirectories(file.getParent());
            imwrite(file.toString(), sheet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Running sums of one renderer's scores. */
    private static final class Acc {
        private final double[] sum = new double[6];
        private int n;

        void add(Mat real, Mat render, Rect box) {
            try (Mat a = real.apply(box).clone(); Mat b = render.apply(box).clone()) {
                byte[] ra = bytes(a);
                byte[] rb = bytes(b);
                sum[0] += ImageMetrics.l1(ra, rb);
                sum[1] += ImageMetrics.ssim(ra, rb, box.width(), box.height());
                sum[2] += ImageMetrics.psnr(ra, rb);
            }
            byte[] fa = bytes(real);
            byte[] fb = bytes(render);
            sum[3] += ImageMetrics.l1(fa, fb);
            sum[4] += ImageMetrics.ssim(fa, fb, real.cols(), real.rows());
            sum[5] += ImageMetrics.psnr(fa, fb);
            n++;
        }

        private static byte[] bytes(Mat m) {
            try (Mat c = m.clone()) { // an ROI is not continuous; the clone is
                byte[] b = new byte[(int) (c.total() * c.channels())];
                c.data().get(b);
                return b;
            }
        }

        Scores mean() {
            return new Scores(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n);
        }
    }
}
