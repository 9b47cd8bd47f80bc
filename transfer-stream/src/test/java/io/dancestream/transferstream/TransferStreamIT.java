package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        Topics topics = TestTopics.unique("transfer");
        KafkaClients clients = broker.clients();
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(30));
        ModelVersion v1 = TestGenerators.export(dir.resolve("v1"), "dancer", "1", 32, TestGenerators.paletteColours());
        ModelVersion v2 = TestGenerators.export(dir.resolve("v2"), "dancer", "2", 32,
                TestGenerators.flatColours(20, 200, 40));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransferSettings settings = TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("transfer-it"))) {
            producer.send(new ProducerRecord<>(topics.models(), "dancer", v1.toByteArray())).get();
            try (TransferStreamApp app = TransferStreamApp.start(clients, settings, new DanceMetrics(meters))) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("streams app running").isTrue();
                awaitGenerator(app, "dancer:1");
                for (int seq = 0; seq < 50; seq++) {
                    send(producer, topics, seq);
                }
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
                int[] rgb = TestSegments.rgbAt(last.getJpeg().toByteArray(), TestSegments.IN_PERSON);
                assertThat(rgb[0]).isCloseTo(20, within(12));
                assertThat(rgb[1]).isCloseTo(200, within(12));
                assertThat(rgb[2]).isCloseTo(40, within(12));
                assertThat(TestRecords.readAll(clients.consumer(null), topics.dlq(), 0, Duration.ofMillis(500)))
                        .as("nothing dead-lettered").isEmpty();
                assertThat(meters.get("dance.frames").tags("stage", "transfer", "outcome", "processed").counter().count())
                        .isEqualTo(100.0);
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, int seq) {
        String stream = seq % 2 == 0 ? "cam-a" : "cam-b";
        producer.send(new ProducerRecord<>(topics.segments(), stream, TestSegments.fresh(stream, seq).toByteArray()));
    }

    private static void awaitGenerator(TransferStreamApp app, String label) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!app.currentGenerator("cam-a").equals(label) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(app.currentGenerator("cam-a")).as("generator in service").isEqualTo(label);
    }
}
