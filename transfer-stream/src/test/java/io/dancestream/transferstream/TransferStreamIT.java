package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.config.Mode;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.Rendered;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** transfer-stream against a real KRaft broker: 100 segments in, 100 renders out, a swap mid-stream. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TransferStreamIT {

    @TempDir
    Path dir;

    @Test
    void rendersEverySegmentInOrderAndSwitchesModelsMidStreamWithoutLosingAFrame(EmbeddedKafkaBroker broker)
            throws Exception {
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "transfer");
        TrainerModels.Exported e1 = TrainerModels.tiny(dir.resolve("v1"), "1", 1, new float[] {0.8f, -0.6f, -0.4f});
        TrainerModels.Exported e2 = TrainerModels.tiny(dir.resolve("v2"), "2", 2, new float[] {-0.6f, 0.8f, -0.2f});
        ModelVersion v1 = e1.version();
        ModelVersion v2 = e2.version();
        size = e1.size();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransferSettings settings = TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO)
                .withJpegQuality(95); // S×S renders are tiny: keep JPEG error well below model differences

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("transfer-it"))) {
            producer.send(new ProducerRecord<>(topics.models(), "dancer", v1.toByteArray())).get();
            try (TransferStreamApp app = TransferStreamApp.start(clients, settings, new DanceMetrics(meters))) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("streams app running").isTrue();
                awaitGenerator(app, "dancer:1");
                for (int seq = 0; seq < 50; seq++) {
                    send(producer, topics, seq);
                }
                producer.flush();
                // v2 is published once each stream has a render from v1, so the swap cannot win the
                // race against the first frames; the rest of the 50 are still in flight while it loads
                awaitRenders(clients, topics, List.of("cam-a", "cam-b"));
                producer.send(new ProducerRecord<>(topics.models(), "dancer", v2.toByteArray())).get();
                awaitGenerator(app, "dancer:2");
                for (int seq = 50; seq < 100; seq++) {
                    send(producer, topics, seq);
                }
                producer.flush();

                List<ConsumerRecord<String, byte[]>> out = TestRecords.readAll(clients.consumer(null), topics.rendered(),
                        100, Duration.ofSeconds(120));
                assertThat(out).as("exactly one render per segment").hasSize(100);
                List<Rendered> rendered = new ArrayList<>();
                for (var r : out) {
                    rendered.add(Rendered.parseFrom(r.value()));
                }
                Map<String, List<Long>> seqsPerStream = rendered.stream().collect(Collectors.groupingBy(
                        Rendered::getStreamId, Collectors.mapping(Rendered::getSeq, Collectors.toList())));
                assertThat(seqsPerStream.get("cam-a")).isSortedAccordingTo(Long::compare).hasSize(50);
                assertThat(seqsPerStream.get("cam-b")).isSortedAccordingTo(Long::compare).hasSize(50);
                assertThat(rendered).extracting(Rendered::getSeq).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.range(0, 100).boxed().toList());

                for (String stream : List.of("cam-a", "cam-b")) {
                    List<String> versions = rendered.stream().filter(r -> r.getStreamId().equals(stream))
                            .map(Rendered::getGeneratorVersion).toList();
                    // the swap happens once, between two frames: v1... then v2..., never back
                    int firstV2 = versions.indexOf("dancer:2");
                    assertThat(firstV2).isPositive();
                    assertThat(versions.subList(0, firstV2)).containsOnly("dancer:1");
                    assertThat(versions.subList(firstV2, versions.size())).containsOnly("dancer:2");
                }
                Rendered last = rendered.stream().filter(r -> r.getSeq() == 99).findFirst().orElseThrow();
                assertThat(last.getGeneratorVersion()).isEqualTo("dancer:2");
                // the render is the served generator's own output (segments are S×S: no resize)
                double toV2 = meanAbsDiff(last.getJpeg().toByteArray(), e2.referenceRgb());
                double toV1 = meanAbsDiff(last.getJpeg().toByteArray(), e1.referenceRgb());
                String both = "mean |render - v2 output| = " + toV2 + ", |render - v1 output| = " + toV1;
                // JPEG's 4:2:0 chroma subsampling costs ~7 levels on a 32×32 image with hard colour
                // edges; the two models differ by ~100
                assertThat(toV2).as(both).isLessThan(15.0);
                assertThat(toV1).as(both).isGreaterThan(toV2 + 50.0);
                Rendered first = rendered.stream().filter(r -> r.getSeq() == 0).findFirst().orElseThrow();
                assertThat(meanAbsDiff(first.getJpeg().toByteArray(), e1.referenceRgb())).isLessThan(15.0);
                assertThat(TestRecords.readAll(clients.consumer(null), topics.dlq(), 0, Duration.ofMillis(500)))
                        .as("nothing dead-lettered").isEmpty();
                assertThat(meters.get("dance.frames").tags("stage", "transfer", "outcome", "processed").counter().count())
                        .isEqualTo(100.0);
            }
        }
    }

    private int size;

    private void send(KafkaProducer<String, byte[]> producer, Topics topics, int seq) {
        String stream = seq % 2 == 0 ? "cam-a" : "cam-b";
        producer.send(new ProducerRecord<>(topics.segments(), stream,
                TestSegments.segment(stream, seq, io.dancestream.common.records.Timings.nowMicros(), size, size)
                        .toByteArray()));
    }

    /** Mean absolute difference (levels) between a JPEG and a reference RGB image of its size. */
    private static double meanAbsDiff(byte[] jpeg, int[] referenceRgb) {
        try (var img = io.dancestream.common.image.ImageCodec.decodeColor(jpeg);
             org.bytedeco.javacpp.indexer.UByteIndexer idx = img.createIndexer()) {
            long sum = 0;
            int n = 0;
            for (int y = 0; y < img.rows(); y++) {
                for (int x = 0; x < img.cols(); x++) {
                    int base = (y * img.cols() + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        sum += Math.abs(idx.get(y, x, 2 - c) - referenceRgb[base + c]);
                        n++;
                    }
                }
            }
            assertThat(n).isEqualTo(referenceRgb.length);
            return (double) sum / n;
        }
    }

    /** Waits until the rendered topic holds at least one render of each stream. */
    private static void awaitRenders(KafkaClients clients, Topics topics, List<String> streams) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(streams) && System.nanoTime() < deadline) {
            // everything on the topic so far, not the first few records: one stream's partition may lead
            for (var r : TestRecords.readAll(clients.consumer(null), topics.rendered(), Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                seen.add(Rendered.parseFrom(r.value()).getStreamId());
            }
        }
        assertThat(seen).as("a render of each stream before the swap").containsAll(streams);
    }

    private static void awaitGenerator(TransferStreamApp app, String label) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!app.currentGenerator("cam-a").equals(label) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(app.currentGenerator("cam-a")).as("generator in service").isEqualTo(label);
    }
}
