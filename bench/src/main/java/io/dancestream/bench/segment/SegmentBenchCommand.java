package io.dancestream.bench.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dancestream.common.metrics.Percentiles;
import io.dancestream.common.io.SampleData;
import io.dancestream.segmentstream.model.PoseModelCache;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.tfjs.GraphModel;
import io.dancestream.segmentstream.tfjs.Precision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance bench segment} (old form {@code dance segment bench}): frames/s of BlazePose in TensorFlow Java, side by side in one run
 * with the TensorFlow.js peer ({@code ../shared/peer-tfjs}, run with node) on the same input
 * bytes. Model-only numbers compare like with like (one 256×256 inference); the end-to-end
 * numbers add tracking, crops, mask and part rasterization on real video frames.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Benchmark the segmenter (full and lite) against the TF.js peer on the same input.")
public final class SegmentBenchCommand implements Callable<Integer> {

    private static final String DATA = SampleData.DIR;

    @Option(names = "--image", defaultValue = DATA + "messi5.jpg", description = "image for the model-only runs")
    Path image;

    @Option(names = "--video", defaultValue = DATA + "vtest.avi", description = "video for the end-to-end runs")
    Path video;

    @Option(names = "--runs", defaultValue = "60", description = "timed inferences per configuration")
    int runs;

    @Option(names = "--frames", defaultValue = "100", description = "video frames per end-to-end run")
    int frames;

    @Option(names = "--variants", split = ",", defaultValue = "full,lite", description = "models to time")
    List<SegmenterConfig.Variant> variants;

    @Option(names = "--precisions", split = ",", defaultValue = "fp32",
            description = "arithmetic to time, e.g. fp32,bf16 (bf16 also reports its accuracy against fp32)")
    List<Precision> precisions;

    @Option(names = "--peer", description = "peer-tfjs folder with node_modules installed (skipped when absent)")
    Path peer;

    @Option(names = "--peer-backends", defaultValue = "wasm,cpu", description = "TF.js backends for the peer")
    String peerBackends;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("machine: %d cores (%s), %s %s, TensorFlow Java %s%n", cores, cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), org.tensorflow.TensorFlow.version());
        float[] input = stretchedInput(image);
        Path f32 = Files.createTempFile("bench-input-", ".f32");
        writeF32(f32, input);
        PoseModelCache store = PoseModelCache.defaultCache();
        List<String> rows = new ArrayList<>();
        rows.add("| implementation | model | configuration | median ms | frames/s |");
        rows.add("| --- | --- | --- | ---: | ---: |");
        List<String> accuracy = new ArrayList<>();
        double javaModelFull = 0;
        double javaSegmenterFull = 0;
        for (SegmenterConfig.Variant v : variants) {
            Path json = store.modelJson(v.modelName());
            for (Precision precision : precisions) {
                String arithmetic = precision == Precision.FP32 ? "" : ", " + precision.name().toLowerCase(Locale.ROOT);
                // every GraphModel has pools of its own, so each row runs on the threads it names
                for (int threads : cores > 1 ? new int[] {cores, 1} : new int[] {1}) {
                    try (GraphModel m = GraphModel.load(json, threads, precision)) {
                        double[] ms = time(() -> run(m, input), runs);
                        rows.add(row("TF Java", v, "1 caller, " + threads + " intra-op thread" + (threads == 1 ? "" : "s")
                                + arithmetic, ms[0], 1000 / ms[0]));
                        if (v == SegmenterConfig.Variant.FULL && precision == Precision.FP32) {
                            javaModelFull = Math.max(javaModelFull, 1000 / ms[0]);
                        }
                    }
                }
                try (GraphModel m = GraphModel.load(json, 1, precision)) {
                    double fps = throughput(() -> run(m, input), runs, cores);
                    rows.add(row("TF Java", v, cores + " concurrent callers, 1 thread each" + arithmetic, Double.NaN, fps));
                    if (v == SegmenterConfig.Variant.FULL && precision == Precision.FP32) {
                        javaModelFull = Math.max(javaModelFull, fps);
                    }
                }
                // {streams, threads per inference}: one stream on all cores, one on one thread, a stream per core
                int[][] setups = cores > 1 ? new int[][] {{1, cores}, {1, 1}, {cores, 1}} : new int[][] {{1, 1}};
                for (int[] setup : setups) {
                    double fps = endToEnd(v, precision, setup[0], setup[1]);
                    rows.add(row("TF Java Segmenter (track + crop + mask + parts)", v,
                            setup[0] + " stream(s) of " + video.getFileName() + ", " + setup[1] + " thread(s) each"
                                    + arithmetic, Double.NaN, fps));
                    if (v == SegmenterConfig.Variant.FULL && precision == Precision.FP32) {
                        javaSegmenterFull = Math.max(javaSegmenterFull, fps);
                    }
                }
                System.out.println(rows.get(rows.size() - 1));
                if (precision != Precision.FP32) {
                    accuracy.add(accuracyVsFp32(json, v, precision, input, cores));
                    System.out.println(accuracy.get(accuracy.size() - 1));
                }
            }
        }
        double peerBest = 0;
        if (peer != null) {
            for (SegmenterConfig.Variant v : variants) {
                for (JsonNode t : runPeer(store.modelJson(v.modelName()), f32)) {
                    double ms = t.path("median_ms").asDouble();
                    rows.add(row("TF.js 4.22 peer (node " + t.path("node").asText("") + ")", v,
                            t.path("label").asText() + ", single-threaded", ms, 1000 / ms));
                    if (v == SegmenterConfig.Variant.FULL) {
                        peerBest = Math.max(peerBest, 1000 / ms);
                    }
                }
            }
        }
        Files.deleteIfExists(f32);
        System.out.println();
        rows.forEach(System.out::println);
        accuracy.forEach(System.out::println);
        if (peerBest > 0) {
            System.out.printf("%nfull model, inference only: best TF Java %.1f/s vs best TF.js peer %.1f/s = %.2fx%n",
                    javaModelFull, peerBest, javaModelFull / peerBest);
            System.out.printf("full model, whole Segmenter (tracking, crops, mask, parts) vs peer inference only: %.1f/s vs %.1f/s = %.2fx%n",
                    javaSegmenterFull, peerBest, javaSegmenterFull / peerBest);
        }
        return 0;
    }

    /**
     * How far {@code precision} moves the model's answer on the bench image from float32: body
     * landmarks (x, y of the 33 pose points, 256-px input) and the person mask (IoU at 0.5).
     */
    private static String accuracyVsFp32(Path json, SegmenterConfig.Variant v, Precision precision, float[] input, int cores) {
        List<String> outputs = List.of("ld_3d", "activation_segmentation");
        Map<String, float[]> want;
        Map<String, float[]> got;
        try (GraphModel m = GraphModel.load(json, cores)) {
            want = m.run(input, new long[] {1, 256, 256, 3}, outputs);
        }
        try (GraphModel m = GraphModel.load(json, cores, precision)) {
            got = m.run(input, new long[] {1, 256, 256, 3}, outputs);
        }
        float[] a = want.get("ld_3d");
        float[] b = got.get("ld_3d");
        double mean = 0;
        double max = 0;
        for (int l = 0; l < 33; l++) {
            double d = Math.hypot(a[l * 5] - b[l * 5], a[l * 5 + 1] - b[l * 5 + 1]);
            mean += d / 33;
            max = Math.max(max, d);
        }
        float[] ma = want.get("activation_segmentation");
        float[] mb = got.get("activation_segmentation");
        long inter = 0;
        long union = 0;
        for (int i = 0; i < ma.length; i++) {
            boolean p = ma[i] > 0.5f;
            boolean q = mb[i] > 0.5f;
            inter += p && q ? 1 : 0;
            union += p || q ? 1 : 0;
        }
        return String.format("%s %s vs fp32 on %s: body landmarks x,y mean %.2f px, max %.2f px (256-px input); person mask IoU %.4f",
                v.name().toLowerCase(Locale.ROOT), precision.name().toLowerCase(Locale.ROOT),
                "the bench image", mean, max, union == 0 ? 1.0 : (double) inter / union);
    }

    private static void run(GraphModel m, float[] input) {
        m.run(input, new long[] {1, 256, 256, 3}, List.of("ld_3d", "output_poseflag", "activation_segmentation"));
    }

    private static final int WARMUP = 20;

    /**
     * {median ms, mean ms} over {@code n} sequential runs after a warm-up (a session's first runs on
     * each of its threads are slow: 50 vs 65 frames/s over the first 100 on the 2-core VM).
     */
    private static double[] time(Runnable r, int n) {
        for (int i = 0; i < WARMUP; i++) {
            r.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElse(0);
        return new double[] {Percentiles.of(ms, 0.5), mean};
    }

    /** Inferences per second with {@code callers} threads sharing the work. */
    private static double throughput(Runnable r, int n, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> warm = new ArrayList<>();
            for (int i = 0; i < WARMUP * callers; i++) {
                warm.add(pool.submit(r));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(r));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Decoded video frames (decode not timed) through the Segmenter, {@code streams} streams in parallel. */
    private double endToEnd(SegmenterConfig.Variant v, Precision precision, int streams, int threads) throws Exception {
        List<Mat> decoded = new ArrayList<>();
        FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile()); OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (Frame f; decoded.size() < frames && (f = g.grabImage()) != null; ) {
                decoded.add(conv.convert(f).clone());
            }
        }
        SegmenterConfig cfg = SegmenterConfig.defaults().withVariant(v).withThreads(threads)
                .withPrecision(precision);
        try (Segmenter s = Segmenter.create(cfg)) {
            s.segment("warmup", decoded.get(0)).classMap().close();
            ExecutorService pool = Executors.newFixedThreadPool(streams);
            try {
                long t0 = System.nanoTime();
                List<Future<?>> fs = new ArrayList<>();
                for (int k = 0; k < streams; k++) {
                    String id = "bench-" + k;
                    fs.add(pool.submit(() -> {
                        for (Mat m : decoded) {
                            s.segment(id, m).classMap().close();
                        }
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                return streams * decoded.size() / ((System.nanoTime() - t0) / 1e9);
            } finally {
                pool.shutdown();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
        } finally {
            decoded.forEach(Mat::close);
        }
    }

    /** Runs the peer's own benchmark (a child process per backend) on the same .f32 bytes. */
    private List<JsonNode> runPeer(Path modelJson, Path f32) throws IOException, InterruptedException {
        Path outDir = Files.createTempDirectory("peer-out-");
        Process p = new ProcessBuilder("node", peer.resolve("run.mjs").toString(), "--input-f32", f32.toString(),
                "--model", modelJson.toString(), "--out", outDir.toString(), "--runs", String.valueOf(runs),
                "--backends", peerBackends, "--threads", "1", "--ref", "cpu")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("TF.js peer failed: " + log);
        }
        JsonNode timings = new ObjectMapper().readTree(outDir.resolve("timings.json").toFile());
        List<JsonNode> out = new ArrayList<>();
        timings.path("timings").fields().forEachRemaining(e -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()).put("label", e.getKey())
                    .put("node", timings.path("node").asText());
            out.add(e.getValue());
        });
        return out;
    }

    /** The peer's preprocessing: stretch to 256×256, bilinear with half-pixel centres, RGB / 255. */
    private static float[] stretchedInput(Path image) {
        Mat img = opencv_imgcodecs.imread(image.toString());
        if (img == null || img.empty()) {
            throw new IllegalArgumentException("cannot read image " + image);
        }
        try (Mat small = new Mat(); Mat rgb = new Mat(); Mat f = new Mat()) {
            opencv_imgproc.resize(img, small, new Size(256, 256), 0, 0, opencv_imgproc.INTER_LINEAR);
            opencv_imgproc.cvtColor(small, rgb, opencv_imgproc.COLOR_BGR2RGB);
            rgb.convertTo(f, org.bytedeco.opencv.global.opencv_core.CV_32FC3, 1 / 255.0, 0);
            float[] out = new float[256 * 256 * 3];
            ((java.nio.FloatBuffer) f.createBuffer()).get(out);
            return out;
        }
    }

    private static void writeF32(Path file, float[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        Files.write(file, b.array());
    }

    private static String row(String impl, SegmenterConfig.Variant v, String config, double medianMs, double fps) {
        return String.format("| %s | %s | %s | %s | %.1f |", impl, v.modelName(), config,
                Double.isNaN(medianMs) ? "–" : String.format("%.1f", medianMs), fps);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
