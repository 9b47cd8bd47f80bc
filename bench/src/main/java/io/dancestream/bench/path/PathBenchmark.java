package io.dancestream.bench.path;

import io.dancestream.common.metrics.Percentiles;
import io.dancestream.common.metrics.StageSummary;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.config.Mode;
import io.dancestream.common.config.TensorFlowThreads;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.io.Directories;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.metrics.ProcessCost;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.records.Timings;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.IngestSummary;
import io.dancestream.ingest.source.Pace;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.Preset;
import io.dancestream.bench.transfer.TransferBenchmarkCommand;
import io.dancestream.trainer.model.TrainingSession;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One embedded broker, one BlazePose segmenter and one generator shared by the runs; each run
 * (replay or live) gets fresh topics and fresh segment-stream and transfer-stream apps, a
 * warm-up stream, then the measured stream. Frames are counted when rendered, or when a stage
 * dropped them (stale or failed): every measured frame is accounted for.
 */
final class PathBenchmark implements AutoCloseable {

    record Settings(Path video, long skip, int width, int height, double fps, int frames, int warmupFrames,
                    Duration budget, Path model, SegmenterConfig segmenter, Path trace) {
    }

    private static final String STREAM = "bench";
    private static final String WARMUP = "bench-warmup";

    private final Settings s;
    private final PrintStream out;
    private final EmbeddedKafkaBroker broker;
    private final Segmenter segmenter;
    private final ModelVersion model;
    private final Path scratch;
    private final Path warmupFolder;
    private final Path measuredFolder;

    private PathBenchmark(Settings s, PrintStream out, EmbeddedKafkaBroker broker, Segmenter segmenter, ModelVersion model,
                          Path scratch, Path warmupFolder, Path measuredFolder) {
        this.s = s;
        this.scratch = scratch;
        this.warmupFolder = warmupFolder;
        this.measuredFolder = measuredFolder;
        this.out = out;
        this.broker = broker;
        this.segmenter = segmenter;
        this.model = model;
    }

    static PathBenchmark start(Settings s, PrintStream out) throws Exception {
        if (!Files.isReadable(s.video())) {
            throw new IllegalArgumentException("cannot read video " + s.video());
        }
        out.printf(Locale.ROOT, "full path: %s at %dx%d; %d cores; load average %.2f%n", s.video(), s.width(), s.height(),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // frames, the untrained model and Streams state live in one scratch dir, deleted on close
        Path scratch = Files.createTempDirectory("bench-path");
        EmbeddedKafkaBroker broker = null;
        Segmenter seg = null;
        try {
            // the video's frames become image folders, which ingest plays at any --fps (a file plays at its own rate)
            Path warmup = Files.createDirectories(scratch.resolve("frames/warmup"));
            Path measured = Files.createDirectories(scratch.resolve("frames/measured"));
            extract(s, warmup, measured);
            seg = Segmenter.create(s.segmenter());
            out.println("segmenter: " + seg.modelId() + ", " + seg.config().detectorTiles()
                    + " detector tiles per empty frame after a whole pass (0: all); TensorFlow threads per inference of every model "
                    + "(--inference-threads): " + seg.config().threads() + ", spinning "
                    + (TensorFlowThreads.spinning() ? "on" : "off") + " (" + TensorFlowThreads.SPINNING_ENV + ")");
            ModelVersion mv = s.model() != null ? describe(s.model(), "given")
                    : exportUntrained(scratch.resolve("model/cpu-realtime"), firstFile(measured));
            out.println("generator: " + mv.getLocation() + " (" + mv.getPreset() + ")");
            broker = EmbeddedKafkaBroker.builder().port(0).start();
            return new PathBenchmark(s, out, broker, seg, mv, scratch, warmup, measured);
        } catch (Exception | Error e) {
            if (broker != null) {
                broker.close();
            }
            if (seg != null) {
                seg.close();
            }
            Directories.deleteRecursively(scratch);
            throw e;
        }
    }

    private static Path firstFile(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.sorted().findFirst().orElseThrow(() -> new IllegalStateException("no frames in " + dir));
        }
    }

    /** Frames skip .. skip+warmup+frames of the video (looping), scaled to the size, as JPEG q95 files. */
    private static void extract(Settings s, Path warmup, Path measured) throws Exception {
        int total = s.warmupFrames() + s.frames();
        int written = 0;
        long index = 0;
        try (OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             Size size = new Size(s.width(), s.height())) {
            while (written < total) {
            int before = written;
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(s.video().toFile())) {
                g.start();
                org.bytedeco.javacv.Frame f;
                while (written < total && (f = g.grabImage()) != null) {
                    if (index++ < s.skip()) {
                        continue;
                    }
                    try (Mat scaled = new Mat()) {
                        resize(conv.convert(f), scaled, size, 0, 0, INTER_AREA);
                        Path dir = written < s.warmupFrames() ? warmup : measured;
                        Files.write(dir.resolve(String.format(Locale.ROOT, "f%06d.jpg", written)),
                                ImageCodec.encodeJpeg(scaled, 95));
                    }
                    written++;
                }
                g.stop();
            }
            if (written == before) {
                throw new IllegalArgumentException("no frames in " + s.video() + " after skipping " + s.skip());
            }
            }
        }
    }

    /** The model directory as transfer-stream would announce it (a person-crop model when it holds a plate). */
    private static ModelVersion describe(Path dir, String preset) {
        return TransferBenchmarkCommand.benchVersion(dir).toBuilder().setPreset(preset).build();
    }

    /**
     * Inference cost does not depend on the weights; the output here is never looked at. The model
     * is a person-crop one with the first measured frame as its plate, so the path timed is the one
     * the trainer's models serve: crop, generator, placement, blend over the plate.
     */
    private static ModelVersion exportUntrained(Path dir, Path firstFrame) throws java.io.IOException {
        try (TrainingSession t = new TrainingSession(Preset.CPU_REALTIME.config(), 1)) {
            GeneratorExporter.export(t, dir);
        }
        try (org.bytedeco.opencv.opencv_core.Mat plate = ImageCodec.decodeColor(Files.readAllBytes(firstFrame))) {
            Files.write(dir.resolve("plate.png"), ImageCodec.encodePng(plate));
        }
        return describe(dir, Preset.CPU_REALTIME.id() + ", untrained: speed only").toBuilder()
                .setInputSize(Preset.CPU_REALTIME.config().size()).build();
    }

    void run(Mode mode) throws Exception {
        KafkaClients clients = broker.clients();
        Topics topics = new Topics("benchpath-" + mode + "-" + System.currentTimeMillis() + ".");
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(30));
        DanceMetrics segMetrics = new DanceMetrics(new SimpleMeterRegistry());
        DanceMetrics transferMetrics = new DanceMetrics(new SimpleMeterRegistry());
        SegmentStreamConfig segCfg = SegmentStreamConfig.defaults(topics).withMode(mode).withMaxFrameAge(s.budget());
        Path state = Files.createDirectories(scratch.resolve("state-" + mode));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("bench-path"));
             SegmentStreamApp seg = SegmentStreamApp.start(clients, segCfg, segmenter,
                     new MaskQuantizer(QuantizerFit.palette(), true), null, segMetrics,
                     SegmentStreamApp.Options.defaults().withPairs(false).withStateDir(state.toString()));
             TransferStreamApp transfer = TransferStreamApp.start(clients,
                     TransferSettings.defaults(topics).withMode(mode, s.budget())
                             .withInferenceThreads(s.segmenter().threads()), transferMetrics)) {
            producer.send(new ProducerRecord<>(topics.models(), model.getName(), model.toByteArray())).get();
            if (!seg.awaitRunning(Duration.ofMinutes(2)) || !transfer.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the streams apps did not reach RUNNING within 2 minutes");
            }
            String wanted = model.getName() + ":" + model.getVersion();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!wanted.equals(transfer.currentGenerator(STREAM))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transfer-stream did not load the generator within 2 minutes");
                }
                Thread.sleep(100);
            }
            // warm-up: TensorFlow's first runs, consumer fetch sessions; not counted
            Accounting warm = new Accounting(clients, topics, segMetrics, transferMetrics);
            warm.await(WARMUP, ingestInBackground(clients, topics, mode, WARMUP, warmupFolder), 0,
                    Duration.ofMinutes(5));

            Accounting measured = new Accounting(clients, topics, segMetrics, transferMetrics);
            Drops before = Drops.read(segMetrics, transferMetrics);
            ProcessCost cost = ProcessCost.now();
            long startUs = Timings.nowMicros();
            CompletableFuture<IngestSummary> in = ingestInBackground(clients, topics, mode, STREAM, measuredFolder);
            List<Arrival> got = measured.await(STREAM, in, before.total(), Duration.ofMinutes(10));
            report(mode, in.join(), got, Drops.read(segMetrics, transferMetrics).minus(before), startUs);
            out.println("process (ingest, both apps, broker, reader): " + ProcessCost.now().since(cost).perFrame(in.join().frames()));
        }
    }

    /** Ingest runs beside the reader, so arrivals are timed as they happen. */
    private CompletableFuture<IngestSummary> ingestInBackground(KafkaClients clients, Topics topics, Mode mode,
                                                                String stream, Path folder) {
        return CompletableFuture.supplyAsync(() -> FrameIngestor.builder(clients, topics).source(folder.toString())
                .streamId(stream).fps(s.fps()).pace(mode == Mode.live ? Pace.realtime : Pace.max).progress(false)
                .build().run());
    }

    /** The measured run's drops only: the stage counters less what they held before it (the warm-up). */
    private void report(Mode mode, IngestSummary in, List<Arrival> got, Drops dropped, long startUs) {
        long[] lat = got.stream().mapToLong(a -> a.receivedUs() - a.rendered().getCaptureTimeUs()).sorted().toArray();
        long first = got.stream().mapToLong(Arrival::receivedUs).min().orElse(startUs);
        long last = got.stream().mapToLong(Arrival::receivedUs).max().orElse(startUs);
        double fromStart = got.size() / Math.max(1e-9, (last - startUs) / 1e6);
        double steady = got.size() < 2 ? 0 : (got.size() - 1) / Math.max(1e-9, (last - first) / 1e6);
        out.printf(Locale.ROOT, "%n== %s: %d frames %dx%d ingested (%s) ==%n", mode, in.frames(), s.width(), s.height(),
                mode == Mode.live ? "paced at " + s.fps() + " fps" : "max pace, every frame rendered");
        out.printf(Locale.ROOT, "rendered %d + dropped by a stage %d (segment stale %d failed %d, transfer stale %d failed %d)%n",
                got.size(), dropped.total(), dropped.segmentStale(), dropped.segmentFailed(), dropped.transferStale(),
                dropped.transferFailed());
        out.printf(Locale.ROOT, "rendered frames/s: %.2f from the first ingest, %.2f between first and last render%n",
                fromStart, steady);
        if (lat.length > 0 && mode == Mode.live) {
            out.printf(Locale.ROOT, "capture → rendered received (ms): p50 %.0f  p95 %.0f  p99 %.0f  max %.0f%n",
                    Percentiles.of(lat, 0.50) / 1e3, Percentiles.of(lat, 0.95) / 1e3,
                    Percentiles.of(lat, 0.99) / 1e3, lat[lat.length - 1] / 1e3);
        } else if (lat.length > 0) {
            // a folder ingested at max pace stamps capture times on its --fps timeline, not the wall clock
            out.println("(replay: capture times follow the media timeline, so frame ages below are not latencies)");
        }
        if (s.trace() != null) {
            FrameTrace.append(s.trace(), mode.toString(), got);
        }
        if (lat.length > 0) {
            out.print(StageSummary.of(got.stream().map(Arrival::rendered).toList()).table());
        }
        out.printf(Locale.ROOT, "load average now %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static long count(DanceMetrics m, String stage, String outcome) {
        return (long) m.stage(stage).outcome(outcome).count();
    }


    @Override
    public void close() {
        segmenter.close();
        broker.close();
        Directories.deleteRecursively(scratch);
    }

    record Arrival(Rendered rendered, long receivedUs) {
    }

    /** Frames the two stages dropped (stale or failed), as their counters stand. */
    record Drops(long segmentStale, long segmentFailed, long transferStale, long transferFailed) {

        static Drops read(DanceMetrics seg, DanceMetrics transfer) {
            return new Drops(count(seg, "segment", DanceMetrics.DROPPED_STALE), count(seg, "segment", DanceMetrics.FAILED),
                    count(transfer, "transfer", DanceMetrics.DROPPED_STALE),
                    count(transfer, "transfer", DanceMetrics.FAILED));
        }

        Drops minus(Drops earlier) {
            return new Drops(segmentStale - earlier.segmentStale, segmentFailed - earlier.segmentFailed,
                    transferStale - earlier.transferStale, transferFailed - earlier.transferFailed);
        }

        long total() {
            return segmentStale + segmentFailed + transferStale + transferFailed;
        }
    }

    /** Reads one stream's rendered records until rendered + newly dropped covers what was ingested. */
    private static final class Accounting {
        private final KafkaConsumer<String, byte[]> consumer;
        private final DanceMetrics seg;
        private final DanceMetrics transfer;
        private final String topic;

        Accounting(KafkaClients clients, Topics topics, DanceMetrics seg, DanceMetrics transfer) {
            this.consumer = new KafkaConsumer<>(clients.consumer(null));
            this.seg = seg;
            this.transfer = transfer;
            this.topic = topics.rendered();
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve "end" now, before anything is sent
        }

        long drops() {
            return Drops.read(seg, transfer).total();
        }

        List<Arrival> await(String stream, CompletableFuture<IngestSummary> ingest, long dropsBefore, Duration timeout) {
            List<Arrival> got = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            try (consumer) {
                while (!ingest.isDone() || got.size() + drops() - dropsBefore < ingest.join().frames()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + got.size() + " rendered + " + (drops() - dropsBefore)
                                + " dropped of the frames of " + stream + " within " + timeout.toSeconds() + " s");
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = Timings.nowMicros();
                        if (stream.equals(r.key())) {
                            got.add(new Arrival(RecordSerdes.rendered().decode(r.topic(), r.partition(), r.offset(),
                                    r.value()), now));
                        }
                    }
                }
            }
            return got;
        }
    }
}
