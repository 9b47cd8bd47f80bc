package io.dancestream.cli.demo;

import io.dancestream.common.config.Mode;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicReader;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.metrics.StageSummary;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.RecordSerde;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.IngestSummary;
import io.dancestream.ingest.source.Pace;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.train.TrainJob;
import io.dancestream.trainer.train.TrainResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.transferstream.SideBySideExport;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import io.dancestream.viewer.StreamEnding;
import io.dancestream.viewer.Viewer;
import io.dancestream.viewer.camera.CameraSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One run of the demo: every service in this process around one embedded broker. */
final class DemoRun implements AutoCloseable {

    static final String TARGET_STREAM = "target";
    static final String SOURCE_STREAM = "source";

    /** Progress bars only on a terminal; piped output (CI) gets the step lines alone. */
    private static final boolean TTY = System.console() != null;

    private final DemoPlan plan;
    private final PrintStream say = System.out;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();

    DemoRun(DemoPlan plan) {
        this.plan = plan;
    }

    int execute() throws Exception {
        Files.createDirectories(plan.out());
        step("starting an embedded Kafka broker");
        EmbeddedKafkaBroker broker = keep(EmbeddedKafkaBroker.builder().port(plan.brokerPort()).start());
        KafkaClients clients = broker.clients();
        Topics topics = Topics.withDefaultPrefix();
        say.println("    broker at " + broker.bootstrapServers() + " (other terminals: ./dance viewer --bootstrap-servers "
                + broker.bootstrapServers() + ")");

        ServiceRuntime ingestRt = runtime("ingest", clients, topics, 0);
        ServiceRuntime segmentRt = runtime("segment-stream", clients, topics, 1);
        ServiceRuntime transferRt = runtime("transfer-stream", clients, topics, 2);
        ServiceRuntime trainerRt = runtime("trainer", clients, topics, 3);
        ServiceRuntime viewerRt = runtime("viewer", clients, topics, 4);
        // loopback: the page's "Start camera" works without a token (used while the demo lingers)
        Viewer viewer = keep(Viewer.start(viewerRt, "127.0.0.1", plan.viewerPort(), "dance-demo-viewer",
                StreamEnding.defaults(), CameraSettings.localDefaults()));
        viewerRt.running(true);
        say.println("    viewer: http://127.0.0.1:" + viewer.port() + "/   metrics: "
                + List.of(ingestRt, segmentRt, transferRt, trainerRt, viewerRt).stream()
                .map(r -> r.service() + " :" + r.metricsServer().port()).toList());

        Path stateDir = Files.createTempDirectory("dance-demo-streams");

        // 1. the target dancer, as a training stream, segmented in replay mode (every frame). One BlazePose
        // (one thread per inference, the default) serves this phase and the live one: a second would only
        // load the same models again
        step("loading BlazePose (TensorFlow Java), then ingesting " + plan.targetFrames() + " frames of the target " + plan.target() + " as training stream '"
                + TARGET_STREAM + "'");
        IngestSummary target;
        long pairs;
        Segmenter segmenter = keep(Segmenter.create(SegmenterConfig.defaults()));
        try (SegmentStage seg = SegmentStage.start(clients, topics, Mode.replay, plan.budget(), segmenter, segmentRt,
                     stateDir)) {
            target = FrameIngestor.builder(clients, topics).source(plan.target().toString()).streamId(TARGET_STREAM)
                    .pace(Pace.max).train(true).maxFrames(plan.targetFrames()).metrics(ingestRt.metrics())
                    .progress(TTY).build().run();
            say.println("    " + target.describe());
            step("segmenting the target into training pairs (BlazePose → 24 parts)");
            pairs = new TopicCounter(clients, topics.pairs(), TARGET_STREAM)
                    .awaitCount(target.frames(), Duration.ofSeconds(30 + target.frames()), say);
        }
        say.printf(Locale.ROOT, "    %d training pairs on %s%n", pairs, topics.pairs());

        // 2. train and publish the generator, on one person: the trainer's default is the target's longest track
        step("training the cpu-realtime generator for at most " + plan.trainTime().toSeconds() + " s");
        TrainResult trained = TrainJob.builder(clients, topics).streams(Set.of(TARGET_STREAM))
                .preset(plan.preset()).maxDuration(plan.trainTime())
                .workDir(plan.out().resolve("train")).modelStore(plan.out().resolve("models"))
                .metrics(trainerRt.metrics()).progress(TTY).publish(true).build().run();
        say.println("    target person: " + trained.track().describe() + " of " + plan.target().getFileName()
                + (trained.track().known() ? ", from its frame " + trackStart(trained.track().trackId()) : ""));
        ServingTable serving = ServingTable.of(trained.model().getMetricsMap());
        say.printf(Locale.ROOT, "    trained %d steps in %.0f s; held-out on the serving path: %s%n", trained.steps(),
                trained.elapsed().toMillis() / 1e3, serving == null
                        ? "not evaluated (no background plate: a whole-frame model)" : "the model " + serving.verdict());
        say.println("    published " + trained.model().getName() + ":" + trained.model().getVersion() + " to "
                + topics.models() + " (" + trained.modelDir() + ")");

        // 3. live: the source drives the target
        String frames = String.format(Locale.ROOT, "frames %d-%d", plan.sourceSkip(),
                plan.sourceSkip() + plan.sourceFrames() - 1);
        boolean defaultVideo = plan.sourceIsTargetVideo() && plan.target().equals(DemoCommand.DEFAULT_VIDEO);
        if (defaultVideo && (plan.targetFrames() > 400 || plan.sourceSkip() < 400
                || plan.sourceSkip() + plan.sourceFrames() > 520)) {
            step("rendering: source " + plan.source() + " " + frames + " in live pacing → target person. The source is "
                    + "a later segment of the target video, but outside the checked default (target frames 0-399, "
                    + "source 400-519) it may show the target person again: in vtest.avi the man of the longest track "
                    + "is back on about frames 521-684 and 756-794");
        } else if (defaultVideo) {
            // checked by eye on crops of every track (README): vtest.avi's longest track of frames 0-399 is a man in a
            // red and navy jacket (from frame 19 on, as segment-stream sees the ingested JPEGs); he is back on about
            // frames 521-684 and 756-794; frames 400-519 show other pedestrians (mostly a man in a black jacket)
            step("rendering: source " + plan.source() + " " + frames + " in live pacing → target person. The source is "
                    + "a later segment of the target video with a DIFFERENT person: the target is the man in the red and "
                    + "navy jacket; frames 400-519 show other pedestrians (he is back on about frames 521-684 and 756-794)");
        } else if (plan.sourceIsTargetVideo()) {
            step("rendering: source " + plan.source() + " " + frames + " in live pacing → target person. The source is "
                    + "a later segment of the target video, so the target imitates itself; pass --source to make "
                    + "another person drive it");
        } else {
            step("rendering: source " + plan.source() + (plan.sourceSkip() > 0 ? " from frame " + plan.sourceSkip() : "")
                    + " in live pacing → target person");
        }
        TransferStreamApp transfer = keep(TransferStreamApp.start(clients, TransferSettings.defaults(topics)
                .withMode(Mode.live, plan.budget()), transferRt.metrics()));
        transfer.awaitRunning(Duration.ofSeconds(60));
        transferRt.running(true);
        String wanted = trained.model().getName() + ":" + trained.model().getVersion();
        awaitGenerator(transfer, wanted, Duration.ofSeconds(60));
        // the target's segments reach transfer-stream first (and are dropped as stale): wait for them, so
        // that the drop counters' growth from here on belongs to the source alone
        awaitHandled(transferRt.metrics(), "transfer", target.frames(), Duration.ofSeconds(60));
        long droppedBefore = notRendered(segmentRt.metrics(), "segment") + notRendered(transferRt.metrics(), "transfer");
        IngestSummary source;
        List<Rendered> rendered;
        try (SegmentStage seg = SegmentStage.start(clients, topics, Mode.live, plan.budget(), segmenter, segmentRt,
                stateDir)) {
            source = FrameIngestor.builder(clients, topics).source(plan.source()).streamId(SOURCE_STREAM)
                    .skip(plan.sourceSkip()).pace(Pace.realtime).maxFrames(plan.sourceFrames())
                    .metrics(ingestRt.metrics()).progress(TTY).build().run();
            say.println("    " + source.describe());
            if (source.frames() == 0) {
                throw new IllegalStateException("the source " + plan.source() + " gave no frames"
                        + (plan.sourceSkip() > 0 ? " after skipping " + plan.sourceSkip() + " (is it shorter? "
                        + "--source-skip N sets where it starts)" : ""));
            }
            rendered = awaitRendered(clients, topics, source, segmentRt.metrics(), transferRt.metrics(), droppedBefore);
        }

        // 4. outputs
        Path mp4 = plan.out().resolve("demo-side-by-side.mp4");
        step("writing " + mp4);
        var video = new SideBySideExport(clients, topics, SOURCE_STREAM).write(mp4, 0, (int) source.frames());
        say.printf(Locale.ROOT, "    %d frames (source | parts | render), %dx%d, %d with a render (grey where a stage "
                + "dropped the frame)%n", video.frames(), video.width(), video.height(), video.withRender());
        StageSummary summary = StageSummary.of(rendered);
        say.println();
        say.println("Per-stage summary of the " + rendered.size() + " rendered source frames (from their stage timings):");
        say.print(summary.table());
        say.println();
        say.printf(Locale.ROOT, "Generator %s (%s), trained %d steps in %.0f s on %s.%n", wanted,
                trained.model().getPreset(), trained.steps(), trained.elapsed().toMillis() / 1e3, trained.track().describe());
        if (serving != null) {
            say.print(serving.table());
        } else {
            say.println("No serving-path evaluation: the model has no background plate (a whole-frame model).");
        }
        Path sheet = plan.out().resolve("demo-heldout-sheet.png");
        Path trainerSheet = plan.out().resolve("train").resolve("samples").resolve("heldout-sheet.png");
        Files.deleteIfExists(sheet); // an earlier run's
        if (serving != null && Files.isRegularFile(trainerSheet)) {
            Files.copy(trainerSheet, sheet, StandardCopyOption.REPLACE_EXISTING);
            say.println("Contact sheet of held-out frames (real | part map | render | (c) nearest neighbour): "
                    + sheet.toAbsolutePath());
        }
        say.println("Side by side (source | parts | render): " + mp4.toAbsolutePath());
        say.printf(Locale.ROOT, "Demo finished in %.0f s. Outputs in %s%n", (System.nanoTime() - startNanos) / 1e9,
                plan.out().toAbsolutePath());
        if (!plan.linger().isZero()) {
            // live segmentation again, so a webcam the page streams ("Start camera") drives the trained target
            keep(SegmentStage.start(clients, topics, Mode.live, plan.budget(), segmenter, segmentRt, stateDir));
            say.println("Services stay up for " + plan.linger().toSeconds() + " s (viewer http://127.0.0.1:"
                    + viewer.port() + "/: press \"Start camera\" to drive the target with your own webcam); Ctrl-C ends.");
            Thread.sleep(plan.linger().toMillis());
        }
        return 0;
    }

    /** The frame a track started on, from its id ("stream#seq"). */
    private static String trackStart(String trackId) {
        return trackId.substring(trackId.lastIndexOf('#') + 1);
    }

    private ServiceRuntime runtime(String service, KafkaClients clients, Topics topics, int portOffset) {
        return keep(ServiceRuntime.start(service, clients, topics, "127.0.0.1", plan.metricsPort(portOffset)));
    }

    private void awaitGenerator(TransferStreamApp transfer, String wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!wanted.equals(transfer.currentGenerator(SOURCE_STREAM))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("transfer-stream did not load generator " + wanted + " within "
                        + timeout.toSeconds() + " s (serving " + transfer.currentGenerator(SOURCE_STREAM) + ")");
            }
            Thread.sleep(200);
        }
        say.println("    transfer-stream serves " + wanted);
    }

    /**
     * Waits until every ingested source frame is accounted for: rendered, or dropped as stale or
     * failed by a stage (counted), then returns the rendered records.
     */
    private List<Rendered> awaitRendered(KafkaClients clients, Topics topics, IngestSummary source,
                                         DanceMetrics segment, DanceMetrics transfer, long droppedBefore)
            throws InterruptedException {
        RecordSerde<Rendered> serde = RecordSerdes.rendered();
        List<Rendered> out = new ArrayList<>();
        long[] dropped = {0};
        try (TopicReader<String, byte[]> reader = TopicReader.open(clients, topics.rendered(), true)) {
            reader.readUntil(Duration.ofSeconds(120), r -> {
                if (SOURCE_STREAM.equals(r.key())) {
                    out.add(serde.decode(r.topic(), r.partition(), r.offset(), r.value()));
                }
            }, () -> {
                dropped[0] = notRendered(segment, "segment") + notRendered(transfer, "transfer") - droppedBefore;
                return out.size() + dropped[0] >= source.frames();
            });
        }
        say.printf(Locale.ROOT, "    %d source frames ingested = %d rendered + %d dropped by a stage (stale or failed)%s%n",
                source.frames(), out.size(), dropped[0],
                out.size() + dropped[0] == source.frames() ? "" : "  ** MISMATCH **");
        if (out.size() + dropped[0] != source.frames()) {
            throw new IllegalStateException("frames unaccounted for: ingested " + source.frames() + ", rendered "
                    + out.size() + ", dropped " + dropped[0]);
        }
        return out;
    }

    /** Waits until a stage has handled (processed, dropped or failed) at least {@code n} frames. */
    private static void awaitHandled(DanceMetrics metrics, String stage, long n, Duration timeout)
            throws InterruptedException {
        var s = metrics.stage(stage);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (s.outcome(DanceMetrics.PROCESSED).count() + notRendered(metrics, stage) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(stage + " handled only " + (long) (s.outcome(DanceMetrics.PROCESSED)
                        .count() + notRendered(metrics, stage)) + " of " + n + " earlier frames within "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private static long notRendered(DanceMetrics metrics, String stage) {
        var s = metrics.stage(stage);
        return (long) (s.outcome(DanceMetrics.DROPPED_STALE).count() + s.outcome(DanceMetrics.FAILED).count());
    }

    private void step(String what) {
        say.printf(Locale.ROOT, "[%5.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, what);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                say.println("    (while stopping: " + e.getMessage() + ")");
            }
        }
    }
}
