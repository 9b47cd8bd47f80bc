package io.dancestream.trainer.eval;

import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.vconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.image.CropReprojection;
import io.dancestream.common.image.CropSmoother;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.image.PersonCrop;
import io.dancestream.common.image.PersonComposite;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.trainer.data.Augment;
import io.dancestream.trainer.data.PairDataset;
import io.dancestream.trainer.data.Sample;
import io.dancestream.trainer.model.TrainingSession;
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
 * The held-out frames are rendered in order as a stream is served (steady crop, a temporal model
 * conditioned on its previous render), and consecutive ones are measured for flicker
 * ({@link FlickerMeter}).
 */
public record ServingEvaluation(Scores model, Scores plateOnly, Scores meanCrop, Scores nearest, int frames,
                         Steadiness steadiness) {

    static final int BOX_DILATE_PX = 8;
    private static final int SHEET_ROWS = 4;
    static final String SERVED = "model";
    static final String RAW_BOX = "model, raw box";
    static final String MEAN_CROP = "(b) mean person crop";
    static final String NEAREST = "(c) nearest by IoU";

    /** Means over the held-out frames; L1 in 0..1, PSNR in dB. */
    record Scores(double personL1, double personSsim, double personPsnr, double frameL1, double frameSsim,
                  double framePsnr) {
    }

    /**
     * Temporal steadiness over consecutive held-out frames ({@link FlickerMeter}): the model as
     * served (steady crop, and conditioned on its previous render when temporal), the same model
     * with each frame's own raw crop (the steady crop's share), and baselines (b), (c).
     */
    record Steadiness(FlickerMeter.Flicker model, FlickerMeter.Flicker modelRawBox, FlickerMeter.Flicker meanCrop,
                      FlickerMeter.Flicker nearest, double realWarpError, int pairs) {
    }

    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "serve", model);
        put(m, "baseline_plate", plateOnly);
        put(m, "baseline_mean_crop", meanCrop);
        put(m, "baseline_nearest", nearest);
        m.put("serve_frames", (double) frames);
        if (steadiness.pairs() > 0) {
            m.put("serve_flicker_ratio", steadiness.model().ratio());
            m.put("serve_flicker_ratio_box", steadiness.model().boxRatio());
            m.put("serve_warp_error", steadiness.model().warpError());
            m.put("serve_raw_box_flicker_ratio", steadiness.modelRawBox().ratio());
            m.put("serve_raw_box_warp_error", steadiness.modelRawBox().warpError());
            m.put("baseline_mean_crop_flicker_ratio", steadiness.meanCrop().ratio());
            m.put("baseline_nearest_flicker_ratio", steadiness.nearest().ratio());
            m.put("real_warp_error", steadiness.realWarpError());
            m.put("flicker_pairs", (double) steadiness.pairs());
        }
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
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(
                "serving-path held-out evaluation, %d frames (person box dilated %d px | whole frame):%n", frames, BOX_DILATE_PX));
        sb.append(String.format("  %-22s %8s %8s %8s | %8s %8s %8s%n", "", "L1", "SSIM", "PSNR", "L1", "SSIM", "PSNR"));
        row(sb, "model", model);
        row(sb, "(a) plate only", plateOnly);
        row(sb, "(b) mean person crop", meanCrop);
        row(sb, "(c) nearest by IoU", nearest);
        sb.append(String.format("  person box: model %s (a), %s (b), %s (c) on both L1 and SSIM", beats(plateOnly),
                beats(meanCrop), beats(nearest)));
        Steadiness st = steadiness;
        if (st.pairs() > 0) {
            sb.append(String.format("%n  steadiness over %d consecutive held-out pairs (flicker ratio: render change / real"
                    + " change in the person region [and whole person box], 1.0 = as steady as reality; warping error after the"
                    + " real frames' optical flow, real video %.4f):%n",
                    st.pairs(), st.realWarpError()));
            flickerRow(sb, "model (as served)", st.model());
            flickerRow(sb, "model, raw crop box", st.modelRawBox());
            flickerRow(sb, "(b) mean person crop", st.meanCrop());
            flickerRow(sb, "(c) nearest by IoU", st.nearest());
        }
        return sb.toString();
    }

    private static void flickerRow(StringBuilder sb, String name, FlickerMeter.Flicker f) {
        sb.append(String.format("  %-22s flicker %6.3f [box %5.3f]  warp error %.4f%n", name, f.ratio(), f.boxRatio(),
                f.warpError()));
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
     * One way of rendering the held-out sequence in order, as transfer-stream renders a stream: its
     * crop (steady or the frame's own) and, for a temporal model, its previous render re-projected
     * into the current crop (none at a stream's first frame or after a gap).
     */
    private static final class Chain implements AutoCloseable {
        private final CropSmoother smoother;
        private CropSmoother.State smoothing;
        private String stream;
        private long seq;
        private PersonCrop crop;
        private Mat crop8; // the previous generated crop, RGB
        Mat composite;     // the previous frame as rendered

        Chain(CropSmoother smoother) {
            this.smoother = smoother;
        }

        /** The crop frame (stream, seq) renders at. */
        PersonCrop cropFor(String streamId, long s, PersonCrop raw) {
            boolean same = streamId.equals(stream);
            if (smoother == null) {
                return raw;
            }
            CropSmoother.Step step = smoother.next(same ? smoothing : null, s, raw);
            smoothing = step.state();
            return step.crop();
        }

        /** The previous render re-projected into {@code to}, or null (none: a first frame or a gap). */
        byte[] previousFor(String streamId, long s, PersonCrop to, int size) {
            if (crop8 == null || !streamId.equals(stream) || s - seq < 1 || s - seq > Augment.MAX_PAIR_GAP) {
                return null;
            }
            try (Mat moved = CropReprojection.apply(crop8, crop, to)) {
                byte[] b = new byte[size * size * 3];
                moved.data().get(b);
                return b;
            }
        }

        void remember(String streamId, long s, PersonCrop at, byte[] rgb, int size, Mat rendered) {
            stream = streamId;
            seq = s;
            crop = at;
            if (crop8 == null) {
                crop8 = new Mat(size, size, opencv_core.CV_8UC3);
            }
            crop8.data().put(rgb);
            if (composite != null) {
                composite.close();
            }
            composite = rendered.clone();
        }

        void forget() {
            stream = null;
            if (composite != null) {
                composite.close();
                composite = null;
            }
        }

        @Override
        public void close() {
            forget();
            if (crop8 != null) {
                crop8.close();
            }
        }
    }

    /**
     * Evaluates the session's generator; null when the dataset has no plate or no held-out frames.
     *
     * @param sheet where to write the contact sheet (real │ part map │ render │ (c), a row per
     *     sampled held-out frame), or null
     */
    public static ServingEvaluation of(TrainingSession session, PairDataset data, Path sheet) {
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
        FlickerMeter flicker = new FlickerMeter();
        List<Mat> sheetRows = new ArrayList<>();
        int step = Math.max(1, data.heldoutFrames().size() / SHEET_ROWS);
        Mat prevReal = null;
        Mat prevMap = null;
        Rect prevBox = null;
        Mat prevMean = null;
        Mat prevNearest = null;
        String prevStream = null;
        long prevSeq = 0;
        try (Mat plate = ImageCodec.decodeColor(data.platePng()); Mat mean = bgr(data.meanFrame(), size);
             Chain served = new Chain(CropSmoother.defaults(Augment.MAX_PAIR_GAP)); Chain rawBox = new Chain(null)) {
            for (Sample s : data.train()) {
                trainIds.add(atSize(s, size));
                trainCrops.add(cropAtSize(s, size));
            }
            for (int i = 0; i < data.heldoutFrames().size(); i++) {
                PairDataset.Frame f = data.heldoutFrames().get(i);
                Mat real = ImageCodec.decodeColor(f.jpeg());
                try (Mat map = ImageCodec.decodeUnchanged(f.classMapPng())) {
                    PersonCrop raw = PersonCrop.around(map).orElse(null);
                    if (real.cols() != plate.cols() || real.rows() != plate.rows() || raw == null) {
                        real.close(); // another stream's size (the plate's scene is not this frame's), or no person
                        served.forget();
                        rawBox.forget();
                        continue;
                    }
                    PersonCrop at = served.cropFor(f.streamId(), f.seq(), raw);
                    PersonCrop atRaw = rawBox.cropFor(f.streamId(), f.seq(), raw);
                    try (PersonComposite.Crops crops = PersonComposite.cut(List.of(map), List.of(at), size);
                         PersonComposite.Crops rawCrops = PersonComposite.cut(List.of(map), List.of(atRaw), size)) {
                        byte[] ids = new byte[size * size];
                        crops.inputs().get(0).data().get(ids);
                        byte[] rawIds = new byte[size * size];
                        rawCrops.inputs().get(0).data().get(rawIds);
                        int best = nearestByIou(ids, trainIds, classes);
                        byte[] gen = generate(session, ids, served.previousFor(f.streamId(), f.seq(), at, size));
                        byte[] genRaw = generate(session, rawIds, rawBox.previousFor(f.streamId(), f.seq(), atRaw, size));
                        try (Mat generated = bgr(gen, size); Mat generatedRaw = bgr(genRaw, size);
                             Mat byModel = compose(map, crops, generated, plate);
                             Mat byModelRaw = compose(map, rawCrops, generatedRaw, plate);
                             Mat byMean = compose(map, crops, mean, plate);
                             Mat byNearest = compose(map, crops, trainCrops.get(best), plate)) {
                            Rect box = personBox(map);
                            model.add(real, byModel, box);
                            plateOnly.add(real, plate, box);
                            meanCrop.add(real, byMean, box);
                            nearest.add(real, byNearest, box);
                            boolean consecutive = prevReal != null && f.streamId().equals(prevStream) && f.seq() - prevSeq == 1
                                    && served.composite != null && rawBox.composite != null;
                            if (consecutive) {
                                try (FlickerMeter.Pair pair = flicker.pair(prevReal, real, prevMap, map, union(prevBox, box), BOX_DILATE_PX)) {
                                    pair.add(SERVED, served.composite, byModel);
                                    pair.add(RAW_BOX, rawBox.composite, byModelRaw);
                                    pair.add(MEAN_CROP, prevMean, byMean);
                                    pair.add(NEAREST, prevNearest, byNearest);
                                }
                            }
                            served.remember(f.streamId(), f.seq(), at, gen, size, byModel);
                            rawBox.remember(f.streamId(), f.seq(), atRaw, genRaw, size, byModelRaw);
                            if (sheet != null && i % step == 0 && sheetRows.size() < SHEET_ROWS) {
                                sheetRows.add(sheetRow(real, map, byModel, byNearest));
                            }
                            closeAll(prevReal, prevMap, prevBox, prevMean, prevNearest);
                            prevMap = map.clone();
                            prevReal = real;
                            real = null;
                            prevBox = box;
                            prevMean = byMean.clone();
                            prevNearest = byNearest.clone();
                            prevStream = f.streamId();
                            prevSeq = f.seq();
                        }
                    }
                } finally {
                    if (real != null) {
                        real.close();
                    }
                }
            }
        } finally {
            trainCrops.forEach(Mat::close);
            closeAll(prevReal, prevMap, prevBox, prevMean, prevNearest);
        }
        if (sheet != null && !sheetRows.isEmpty()) {
            writeSheet(sheet, sheetRows);
        }
        sheetRows.forEach(Mat::close);
        if (model.n == 0) {
            return null;
        }
        Steadiness st = new Steadiness(flicker.of(SERVED), flicker.of(RAW_BOX), flicker.of(MEAN_CROP), flicker.of(NEAREST),
                flicker.realWarpError(), flicker.pairs());
        return new ServingEvaluation(model.mean(), plateOnly.mean(), meanCrop.mean(), nearest.mean(), model.n, st);
    }

    private static void closeAll(org.bytedeco.javacpp.Pointer... ps) {
        for (org.bytedeco.javacpp.Pointer p : ps) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static Rect union(Rect a, Rect b) {
        int x0 = Math.min(a.x(), b.x());
        int y0 = Math.min(a.y(), b.y());
        int x1 = Math.max(a.x() + a.width(), b.x() + b.width());
        int y1 = Math.max(a.y() + a.height(), b.y() + b.height());
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    private static Mat compose(Mat map, PersonComposite.Crops crops, Mat crop, Mat plate) {
        return PersonComposite.compose(List.of(map), crops, List.of(crop), plate).get(0);
    }

    /**
     * The generator's crop for the ids (conditioned on {@code previous}, RGB re-projected into this
     * crop, or none), as RGB bytes rounded to uint8 like the exported model.
     */
    private static byte[] generate(TrainingSession session, byte[] ids, byte[] previous) {
        float[] out = session.generate(ids, previous, 1);
        byte[] rgb = new byte[out.length];
        for (int p = 0; p < rgb.length; p++) {
            rgb[p] = (byte) Math.round(Math.max(0, Math.min(255, (out[p] + 1) * 127.5)));
        }
        return rgb;
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
