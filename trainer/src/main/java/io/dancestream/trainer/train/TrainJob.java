package io.dancestream.trainer.train;

import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.common.service.Progress;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.Timings;
import io.dancestream.trainer.data.Augment;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.data.PairDataset;
import io.dancestream.trainer.data.PairReader;
import io.dancestream.trainer.data.Sample;
import io.dancestream.trainer.eval.Evaluation;
import io.dancestream.trainer.eval.ServingEvaluation;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.export.GeneratorStore;
import io.dancestream.trainer.model.ModelConfig;
import io.dancestream.trainer.model.Pix2PixGraph;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.StepLosses;
import io.dancestream.trainer.model.TrainingSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run, usable in-process (demo, tests) and from {@code dance train}: read the
 * pairs of one track of the chosen streams from Kafka (the requested track, else the longest;
 * cached locally), train pix2pix for a number of steps
 * or a duration, checkpoint, evaluate on held-out frames against the mean-frame baseline,
 * export the generator to the model store and announce it on {@code dance.models}.
 *
 * <pre>{@code
 * TrainResult r = TrainJob.builder(clients, topics).streams(Set.of("dancer")).preset(Preset.CPU_REALTIME)
 *         .maxSteps(2000).workDir(dir).build().run();
 * }</pre>
 */
public final class TrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** pix2pix loads 286² for 256² crops: the same 1.117 ratio. */
    static final double JITTER_RATIO = 286.0 / 256.0;
    private static final int GRID_SAMPLES = 4;

    private final Builder b;

    private TrainJob(Builder b) {
        this.b = b;
    }

    public static Builder builder(KafkaClients clients, Topics topics) {
        return new Builder(clients, topics);
    }

    public TrainResult run() {
        long started = System.nanoTime();
        String device = DeviceProbe.detect();
        ModelConfig config = b.preset.config();
        int size = config.size();
        int trainSize = b.jitter ? (int) Math.round(size * JITTER_RATIO) : size;
        Path ckptDir = b.workDir.resolve("checkpoints");
        Path samplesDir = b.workDir.resolve("samples");
        try {
            Files.createDirectories(ckptDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + b.workDir + ": " + e.getMessage(), e);
        }
        PairDataset data = new PairReader(b.clients, b.topics, b.streams, b.fromTimeMs, b.toTimeMs, b.track)
                .load(size, trainSize, b.holdoutEvery, config.classes(), b.workDir.resolve("dataset-cache"));
        LOG.info("{} training and {} held-out pairs of {} at {}² (preset {}, device {})", data.train().size(),
                data.heldout().size(), data.track().describe(), size, b.preset.id(), device);
        List<Sample> gridSamples = data.heldout().subList(0, Math.min(GRID_SAMPLES, data.heldout().size()));

        try (TrainingSession session = new TrainingSession(config, b.seed, b.learningRate)) {
            long step = 0;
            List<StepLosses> history = new ArrayList<>();
            if (b.resume) {
                TrainState st = TrainState.read(ckptDir);
                if (!st.preset().equals(b.preset.id()) || st.seed() != b.seed) {
                    throw new IllegalStateException("--resume: the checkpoint in " + ckptDir + " is preset "
                            + st.preset() + " seed " + st.seed() + ", not " + b.preset.id() + " seed " + b.seed);
                }
                session.restore(ckptDir.resolve(st.checkpoint()));
                step = st.nextStep();
                history.addAll(st.history());
                LOG.info("resumed from {} at step {}", st.checkpoint(), step);
            }
            long deadline = b.maxDuration == null ? Long.MAX_VALUE : System.nanoTime() + b.maxDuration.toNanos();
            long lastCheckpoint = step;
            long firstStep = step;
            long loopStart = System.nanoTime();
            try (Progress bar = Progress.steps("train " + b.preset.id(), b.maxSteps == Long.MAX_VALUE ? -1 : b.maxSteps,
                    step, b.progress)) {
                while (step < b.maxSteps && System.nanoTime() < deadline && !b.stop.getAsBoolean()) {
                    Random rnd = new Random(b.seed * 1_000_003L + step);
                    Batch batch = config.temporal()
                            ? Augment.samplePairs(data.train(), b.batchSize, size, rnd, b.mirror, Augment.MAX_PAIR_GAP)
                            : Augment.sample(data.train(), b.batchSize, size, rnd, b.mirror);
                    StepLosses l = session.step(step, batch);
                    step++;
                    if (step % b.logEvery == 0 || step == 1) {
                        history.add(l);
                    }
                    report(l, bar, step, firstStep, loopStart);
                    if (b.checkpointEvery > 0 && step % b.checkpointEvery == 0) {
                        checkpoint(session, ckptDir, step, history);
                        lastCheckpoint = step;
                    }
                    if (b.sampleEvery > 0 && step % b.sampleEvery == 0) {
                        writeImages(session, samplesDir, gridSamples, history, step);
                    }
                }
            }
            if (step != lastCheckpoint || !Files.exists(ckptDir.resolve(TrainState.FILE))) {
                checkpoint(session, ckptDir, step, history);
            }
            Path grid = writeImages(session, samplesDir, gridSamples, history, step);
            Evaluation eval = Evaluation.of(session, data.heldout(), data.meanFrame());
            LOG.info("held-out L1 {} SSIM {} vs mean-frame baseline L1 {} SSIM {} ({} frames)",
                    fmt(eval.heldoutL1()), fmt(eval.heldoutSsim()), fmt(eval.baselineL1()), fmt(eval.baselineSsim()),
                    eval.frames());
            // the honest number: held-out frames rendered as transfer-stream renders them
            ServingEvaluation serve = ServingEvaluation.of(session, data, samplesDir.resolve("heldout-sheet.png"));
            if (serve != null) {
                LOG.info("{}", serve.summary());
            }
            Map<String, Double> serveMetrics = serve == null ? Map.of() : serve.asMetrics();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (!b.publish) {
                return new TrainResult(null, null, eval, step, elapsed, device, data.train().size(), data.track(), grid,
                        samplesDir.resolve("loss.png"));
            }
            final long steps = step;
            String version = b.version != null ? b.version
                    : VERSION.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-s" + steps;
            GeneratorStore.Published pub = b.store.publish(b.modelName, version, dir -> {
                GeneratorExporter.export(session, dir);
                writeMetrics(dir, eval, serveMetrics, steps, data);
                GeneratorExporter.writePlate(dir, data.platePng());
            });
            ModelVersion.Builder mvb = ModelVersion.newBuilder();
            GeneratorExporter.announcePlate(mvb, data.platePng());
            GeneratorExporter.announceFraming(mvb, data.framing());
            if (config.temporal()) {
                mvb.setConditioning(GeneratorSignature.PREVIOUS_CROP);
            }
            ModelVersion mv = mvb
                    .setName(b.modelName).setVersion(version).setLocation(pub.dir().toString()).setSha256(pub.sha256())
                    .setSteps(steps).putAllMetrics(eval.asMetrics()).putAllMetrics(serveMetrics).putMetrics("train_frames", data.train().size())
                    .setCreatedTimeUs(Timings.nowMicros()).setInputSize(size).setPreset(b.preset.id()).build();
            announce(mv);
            LOG.info("published {} {} at {} (sha256 {})", b.modelName, version, pub.dir(), pub.sha256());
            return new TrainResult(mv, pub.dir(), eval, steps, Duration.ofNanos(System.nanoTime() - started), device,
                    data.train().size(), data.track(), grid, samplesDir.resolve("loss.png"));
        }
    }

    private void report(StepLosses l, Progress bar, long step, long firstStep, long loopStart) {
        if (b.metrics != null) {
            b.metrics.trainLoss("d", l.d());
            b.metrics.trainLoss("g", l.g());
            b.metrics.trainLoss("g_gan", l.gan());
            b.metrics.trainLoss("g_l1", l.l1());
            b.metrics.trainSteps().increment();
        }
        double secs = (System.nanoTime() - loopStart) / 1e9;
        bar.stepTo(step, String.format("D %.3f G %.2f (gan %.3f L1 %.4f) %.2f steps/s", l.d(), l.g(), l.gan(), l.l1(),
                (step - firstStep) / Math.max(1e-9, secs)));
    }

    private void checkpoint(TrainingSession session, Path dir, long step, List<StepLosses> history) {
        String name = "ckpt-" + step;
        session.save(dir.resolve(name));
        List<float[]> rows = history.stream().map(TrainState::row).toList();
        new TrainState(step, b.seed, b.preset.id(), name, rows).write(dir);
        // keep the latest two checkpoints
        try (var files = Files.list(dir)) {
            List<Long> steps = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ckpt-") && n.endsWith(".index"))
                    .map(n -> Long.parseLong(n.substring(5, n.length() - 6))).sorted().toList();
            for (int i = 0; i < steps.size() - 2; i++) {
                String prefix = "ckpt-" + steps.get(i);
                try (var old = Files.list(dir)) {
                    for (Path p : old.filter(p -> p.getFileName().toString().startsWith(prefix + ".")).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot prune old checkpoints in {}: {}", dir, e.getMessage());
        }
    }

    private Path writeImages(TrainingSession session, Path dir, List<Sample> grid, List<StepLosses> history, long step) {
        Path file = dir.resolve("samples-" + step + ".png");
        TrainingImages.sampleGrid(file, grid, Evaluation.generate(session, grid));
        TrainingImages.lossCurve(dir.resolve("loss.png"), history);
        return file;
    }

    private static void writeMetrics(Path modelDir, Evaluation eval, Map<String, Double> serve, long steps,
                                     PairDataset data) {
        try {
            var m = new java.util.LinkedHashMap<String, Object>(eval.asMetrics());
            m.putAll(serve);
            m.put("steps", steps);
            m.put("train_frames", data.train().size());
            m.put("stream", data.track().streamId());
            m.put("track", data.track().trackId());
            m.put("track_pairs", data.track().pairs());
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(modelDir.resolve("metrics.json").toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void announce(ModelVersion mv) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(b.clients.producer("trainer"))) {
            p.send(new ProducerRecord<>(b.topics.models(), null, mv.getCreatedTimeUs() / 1000, mv.getName(),
                    mv.toByteArray())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("model " + mv.getName() + " " + mv.getVersion() + " was exported to "
                    + mv.getLocation() + " but could not be announced on " + b.topics.models() + ": " + e.getMessage(), e);
        }
    }

    private static String fmt(double v) {
        return String.format("%.4f", v);
    }

    /** Options of a training run; every one has a working default but the Kafka connection. */
    public static final class Builder {
        private final KafkaClients clients;
        private final Topics topics;
        private Set<String> streams = Set.of();
        private Long fromTimeMs;
        private Long toTimeMs;
        private String track;
        private Preset preset = Preset.CPU_REALTIME;
        private long maxSteps = Long.MAX_VALUE;
        private Duration maxDuration;
        private int batchSize = 1;
        private int holdoutEvery = 10;
        private Path workDir = Path.of(System.getProperty("user.home"), ".cache", "dancestream", "trainer");
        private GeneratorStore store = new GeneratorStore(GeneratorStore.defaultRoot());
        private String modelName = "pix2pix";
        private String version;
        private int checkpointEvery = 500;
        private int sampleEvery = 500;
        private int logEvery = 10;
        private boolean resume;
        private long seed = 1;
        private boolean jitter = true;
        private boolean mirror = true;
        private float learningRate = Pix2PixGraph.LEARNING_RATE;
        private DanceMetrics metrics;
        private boolean progress;
        private boolean publish = true;
        private BooleanSupplier stop = () -> false;

        private Builder(KafkaClients clients, Topics topics) {
            this.clients = Objects.requireNonNull(clients);
            this.topics = Objects.requireNonNull(topics);
        }

        /** Streams to train on; empty = every stream in the topic. */
        public Builder streams(Set<String> s) { streams = new LinkedHashSet<>(s); return this; }
        /** Capture-time range [from, to) in ms since the epoch; null = open. */
        public Builder timeRange(Long fromMs, Long toMs) { fromTimeMs = fromMs; toTimeMs = toMs; return this; }
        /** The track id to train on; null (default) = the longest track of the chosen streams. */
        public Builder track(String id) { track = id; return this; }
        public Builder preset(Preset p) { preset = p; return this; }
        public Builder maxSteps(long n) { maxSteps = n; return this; }
        public Builder maxDuration(Duration d) { maxDuration = d; return this; }
        public Builder batchSize(int n) { batchSize = n; return this; }
        /** The last 1/k of each stream's pairs (by seq: in time) is held out for evaluation. */
        public Builder holdoutEvery(int k) { holdoutEvery = k; return this; }
        /** Checkpoints, samples, loss curve and the dataset cache go here. */
        public Builder workDir(Path d) { workDir = d; return this; }
        public Builder modelStore(Path root) { store = new GeneratorStore(root); return this; }
        public Builder modelName(String n) { modelName = n; return this; }
        /** Version string of the published model; default: UTC time + steps. */
        public Builder version(String v) { version = v; return this; }
        public Builder checkpointEvery(int n) { checkpointEvery = n; return this; }
        public Builder sampleEvery(int n) { sampleEvery = n; return this; }
        public Builder resume(boolean r) { resume = r; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder jitter(boolean j) { jitter = j; return this; }
        public Builder mirror(boolean m) { mirror = m; return this; }
        public Builder learningRate(float lr) { learningRate = lr; return this; }
        public Builder metrics(DanceMetrics m) { metrics = m; return this; }
        public Builder progress(boolean p) { progress = p; return this; }
        public Builder publish(boolean p) { publish = p; return this; }
        /** Polled between steps: true ends training early (checkpoint, evaluate, export as usual). */
        public Builder stopWhen(BooleanSupplier s) { stop = s; return this; }

        public TrainJob build() {
            if (maxSteps == Long.MAX_VALUE && maxDuration == null) {
                throw new IllegalArgumentException("give --max-steps or --max-duration, or training never ends");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1");
            }
            return new TrainJob(this);
        }
    }
}
