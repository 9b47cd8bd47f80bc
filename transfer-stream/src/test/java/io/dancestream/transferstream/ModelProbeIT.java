package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.DeadLetterHeaders;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.Timings;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service against a real broker, offered a model that aborts TensorFlow and one
 * that cannot load: both are rejected by their probe JVMs, dead-lettered with the reason, and the
 * old model keeps rendering — in this JVM, which would have died with the first one.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ModelProbeIT {

    private static final int SIZE = 32;

    @TempDir
    Path dir;

    @Test
    void crashingAndUnloadableModelsAreDeadLetteredWhileTheOldOneKeepsServing(EmbeddedKafkaBroker broker)
            throws Exception {
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "probe");
        ModelVersion good = TestGenerators.export(dir.resolve("v1"), "dancer", "1", SIZE, TestGenerators.paletteColours());
        ModelVersion aborting = TestGenerators.exportAborting(dir.resolve("v2"), "dancer", "2", SIZE);
        ModelVersion bogus = TestGenerators.notASavedModel(dir.resolve("v3"), "dancer", "3", SIZE);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransferSettings settings = TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO);
        assertThat(settings.modelProbe()).as("probe on by default").isTrue();

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("probe-it"));
             TransferStreamApp app = TransferStreamApp.start(clients, settings, new DanceMetrics(meters))) {
            producer.send(new ProducerRecord<>(topics.models(), "dancer", good.toByteArray())).get();
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("streams app running").isTrue();
            awaitGenerator(app, "dancer:1");

            producer.send(new ProducerRecord<>(topics.models(), "dancer", aborting.toByteArray())).get();
            producer.send(new ProducerRecord<>(topics.models(), "dancer", bogus.toByteArray())).get();
            List<ConsumerRecord<String, byte[]>> dead = TestRecords.readAll(clients.consumer(null), topics.dlq(), 2,
                    Duration.ofSeconds(120));

            assertThat(dead).as("both models dead-lettered").hasSize(2);
            ConsumerRecord<String, byte[]> crashed = dead.get(0);
            assertThat(crashed.value()).isEqualTo(aborting.toByteArray());
            assertThat(crashed.key()).isEqualTo("dancer");
            assertThat(DeadLetterHeaders.text(crashed.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("model dancer:2 rejected: probe JVM died with SIGABRT (exit 134)")
                    .contains("Abort_op intentional failure");
            assertThat(DeadLetterHeaders.text(crashed.headers(), DeadLetterHeaders.STAGE)).isEqualTo("transfer-stream");
            assertThat(DeadLetterHeaders.text(crashed.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topics.models());
            assertThat(DeadLetterHeaders.text(crashed.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
            ConsumerRecord<String, byte[]> unloadable = dead.get(1);
            assertThat(unloadable.value()).isEqualTo(bogus.toByteArray());
            assertThat(DeadLetterHeaders.text(unloadable.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("model dancer:3 rejected: probe failed (exit 1): cannot load SavedModel " + bogus.getLocation());
            assertThat(meters.get("dance.model.loads").tags("outcome", "rejected").counter().count()).isEqualTo(2.0);
            assertThat(meters.get("dance.model.loads").tags("outcome", "loaded").counter().count()).isEqualTo(1.0);

            // the service survived and still renders with the old model
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(app.currentGenerator("cam-a")).isEqualTo("dancer:1");
            producer.send(new ProducerRecord<>(topics.segments(), "cam-a",
                    TestSegments.segment("cam-a", 1, Timings.nowMicros(), SIZE, SIZE).toByteArray())).get();
            List<ConsumerRecord<String, byte[]>> out = TestRecords.readAll(clients.consumer(null), topics.rendered(), 1,
                    Duration.ofSeconds(60));
            assertThat(out).hasSize(1);
            Rendered r = Rendered.parseFrom(out.get(0).value());
            assertThat(r.getGeneratorVersion()).isEqualTo("dancer:1");
            assertThat(r.getPlaceholder()).isFalse();
        }
    }

    private static void awaitGenerator(TransferStreamApp app, String label) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!app.currentGenerator("cam-a").equals(label) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(app.currentGenerator("cam-a")).as("generator in service").isEqualTo(label);
    }
}
