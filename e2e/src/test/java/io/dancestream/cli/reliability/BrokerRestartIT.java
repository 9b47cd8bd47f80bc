package io.dancestream.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.common.service.ChildJvm;
import io.dancestream.common.config.Mode;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.net.FreePorts;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.IngestSummary;
import io.dancestream.ingest.source.Pace;
import io.dancestream.segmentstream.SegmentStreamMain;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import io.dancestream.viewer.Panel;
import io.dancestream.viewer.PanelImage;
import io.dancestream.viewer.Viewer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops and starts again (same data dir, same port) while frames flow from a
 * realtime-paced video: ingest, segment-stream (the real service: {@code dance segment-stream}
 * in its own JVM, BlazePose from the model cache, replay mode), transfer-stream and the viewer
 * carry on by themselves after the broker's return, and the counts reconcile: every
 * ingested frame is on dance.frames once, segmented and rendered (replay mode drops nothing;
 * at-least-once may repeat a record across the outage, never lose one).
 */
class BrokerRestartIT {

    static final Path VIDEO = SaslIT.VIDEO;
    static final int FRAMES = 150;

    @TempDir
    Path dir;

    @Test
    void servicesRecoverByThemselvesAfterABrokerRestartAndEveryFrameIsRendered() throws Exception {
        assumeTrue(Files.isRegularFile(VIDEO), "opencv-doc's vtest.avi is not installed");
        Path data = dir.resolve("broker");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(data).start();
        int port = broker.port();
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "restart");
        SimpleMeterRegistry ingestMeters = new SimpleMeterRegistry();
        long recoveredMs;
        long segmentRecoveredMs;
        int segmentPort = FreePorts.pick();
        long viewerRecoveredMs;
        IngestSummary summary;
        try (ServiceRuntime viewerRt = ServiceRuntime.start("viewer", clients, topics, "127.0.0.1", 0);
             Viewer viewer = Viewer.start(viewerRt, "127.0.0.1", 0, topics.prefix() + "viewer");
             TransferStreamApp transfer = TransferStreamApp.start(clients,
                     TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO),
                     new DanceMetrics(new SimpleMeterRegistry()));
             ChildJvm segment = ChildJvm.start(dir.resolve("segment-stream.log"), SegmentStreamMain.class.getName(),
                     "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", topics.prefix(),
                     "--mode", "replay", "--no-pairs", "--metrics-port", Integer.toString(segmentPort),
                     "--state-dir", dir.resolve("segment-state").toString());
             TopicTail segments = new TopicTail(clients.consumer(null), topics.segments());
             TopicTail rendered = new TopicTail(clients.consumer(null), topics.rendered())) {
            assertThat(transfer.awaitRunning(Duration.ofSeconds(90))).isTrue();
            awaitLog(segment, "segment-stream running", Duration.ofSeconds(180));
            assertThat(viewer.awaitFollowing(Duration.ofSeconds(60))).isTrue();
            CompletableFuture<IngestSummary> ingest = CompletableFuture.supplyAsync(() ->
                    FrameIngestor.builder(clients, topics).source(VIDEO.toString()).streamId("cam")
                            .pace(Pace.realtime).maxFrames(FRAMES).size(160, 0)
                            .metrics(new DanceMetrics(ingestMeters)).build().run());

            // let frames flow through every stage, then take the broker away
            assertThat(rendered.await(r -> true, Duration.ofSeconds(90))).as("first render").isNotNull();
            rendered.await(r -> false, Duration.ofSeconds(2));
            long renderedBefore = rendered.seen().size();
            segments.await(r -> false, Duration.ofSeconds(1)); // everything segmented so far
            long segmentedBefore = segments.seen().size();
            long shownBefore = shownSeq(viewer);
            broker.close();
            Thread.sleep(3000);
            broker = EmbeddedKafkaBroker.builder().dataDir(data).start();
            long back = System.nanoTime();
            assertThat(broker.port()).as("same port after restart").isEqualTo(port);

            assertThat(rendered.await(r -> rendered.seen().size() > renderedBefore, Duration.ofSeconds(60)))
                    .as("a render after the restart").isNotNull();
            recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            assertThat(segments.await(r -> segments.seen().size() > segmentedBefore, Duration.ofSeconds(60)))
                    .as("a segmentation after the restart (log %s)", segment.log()).isNotNull();
            segmentRecoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (shownSeq(viewer) <= shownBefore && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            viewerRecoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);

            summary = ingest.get(180, TimeUnit.SECONDS);
            assertThat(summary.frames()).as("frames the broker acknowledged").isEqualTo(FRAMES);
            rendered.await(r -> distinctSeqs(rendered.seen()) >= FRAMES, Duration.ofSeconds(120));
            assertThat(transfer.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            segments.await(r -> segmentCounts(segments.seen()).size() >= FRAMES, Duration.ofSeconds(30));
            assertThat(segment.alive()).as("segment-stream never exited (log %s)", segment.log()).isTrue();
            String segmentHealth = Http.get(segmentPort, "/health");
            String segmentMetrics = Http.get(segmentPort, "/metrics");

            List<ConsumerRecord<String, byte[]>> frames = TestRecords.readAll(clients.consumer(null), topics.frames(),
                    FRAMES, Duration.ofSeconds(30));
            Map<Long, Integer> frameSeqs = counts(frames, true);
            Map<Long, Integer> renderSeqs = counts(rendered.seen(), false);
            Map<Long, Integer> segmentSeqs = segmentCounts(segments.seen());
            double segmented = processed(segmentMetrics);
            long duplicates = renderSeqs.values().stream().mapToLong(n -> n - 1).sum();
            System.out.printf("broker restart: %d frames ingested, %d on the topic, %d segmented by segment-stream "
                            + "(%.0f processed, %d distinct), %d rendered (%d distinct, %d duplicates); first segmentation "
                            + "%d ms, first render %d ms and viewer update %d ms after the broker was back%n",
                    summary.frames(), frames.size(), segments.seen().size(), segmented, segmentSeqs.size(),
                    rendered.seen().size(), renderSeqs.size(), duplicates, segmentRecoveredMs, recoveredMs,
                    viewerRecoveredMs);
            assertThat(frameSeqs).as("every frame once on dance.frames (idempotent producer)").hasSize(FRAMES)
                    .allSatisfy((seq, n) -> assertThat(n).isEqualTo(1));
            assertThat(segmentSeqs.keySet()).as("every frame segmented").isEqualTo(frameSeqs.keySet());
            assertThat(segmented).as("segment-stream's processed counter covers every frame").isGreaterThanOrEqualTo(FRAMES);
            assertThat(segmentHealth).as("segment-stream /health").startsWith("UP");
            assertThat(renderSeqs.keySet()).as("every frame rendered").isEqualTo(frameSeqs.keySet());
            // recovery times are reported above, not asserted (they measure the machine's load)
            assertThat(shownSeq(viewer)).as("the viewer shows frames again").isGreaterThan(shownBefore);
            assertThat(ingestMeters.get("dance.frames").tags("stage", "ingest", "outcome", "failed").counter().count())
                    .isZero();
        } finally {
            broker.close();
        }
    }

    private static void awaitLog(ChildJvm child, String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(child.log()).contains(line)) {
            assertThat(child.alive()).as("%s (log %s)", line, child.log()).isTrue();
            assertThat(System.nanoTime()).as("'%s' within %s (log %s)", line, timeout, child.log()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** segment-stream's {@code dance_frames_total{stage="segment", outcome="processed"}} on its /metrics page. */
    private static double processed(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("dance_frames_total{") && l.contains("outcome=\"processed\"")
                        && l.contains("stage=\"segment\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static Map<Long, Integer> segmentCounts(List<ConsumerRecord<String, byte[]>> records) {
        Map<Long, Integer> n = new HashMap<>();
        for (var r : records) {
            try {
                n.merge(Segmentation.parseFrom(r.value()).getSeq(), 1, Integer::sum);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
        return n;
    }

    private static long shownSeq(Viewer viewer) {
        PanelImage img = viewer.streams().latest("cam", Panel.SOURCE);
        return img == null ? -1 : img.seq();
    }

    private static long distinctSeqs(List<ConsumerRecord<String, byte[]>> records) {
        return counts(records, false).size();
    }

    private static Map<Long, Integer> counts(List<ConsumerRecord<String, byte[]>> records, boolean frames) {
        Map<Long, Integer> n = new HashMap<>();
        for (var r : records) {
            try {
                long seq = frames ? Frame.parseFrom(r.value()).getSeq() : Rendered.parseFrom(r.value()).getSeq();
                n.merge(seq, 1, Integer::sum);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
        return n;
    }
}
