package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dancestream.common.config.Mode;
import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.SourceFraming;
import io.dancestream.common.records.Timings;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real restart on a KRaft broker: the source statistics a first instance gathered come back
 * from the changelog in a second instance (its own fresh state directory), so the dancer stays
 * where it was placed.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SourceFramingRestoreIT {

    @Test
    void aRestartedInstanceGoesOnWithTheStatisticsOfTheFirst(EmbeddedKafkaBroker broker) throws Exception {
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "framing");
        // statistics from the first 2 person frames of a track; no generator needed, they belong to the source
        TransferSettings settings = TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO)
                .withPlacement(Placement.normalized, 2);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("framing-it"))) {
            try (TransferStreamApp first = TransferStreamApp.start(clients, settings, new DanceMetrics(new SimpleMeterRegistry()))) {
                assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
                send(producer, topics, 1, 8, 8, 24, 32);  // feet y 40, 32 tall
                send(producer, topics, 2, 20, 4, 12, 16); // feet y 20, 16 tall
                assertThat(TestRecords.readAll(clients.consumer(null), topics.rendered(), 2, Duration.ofSeconds(60))).hasSize(2);
                FramingStats before = stats(first);
                assertThat(before.frames()).isEqualTo(2);
                assertThat(before.nearFootY()).isEqualTo(40);
                assertThat(before.farFootY()).isEqualTo(20);
            }
            try (TransferStreamApp second = TransferStreamApp.start(clients, settings, new DanceMetrics(new SimpleMeterRegistry()))) {
                assertThat(second.awaitRunning(Duration.ofSeconds(60))).isTrue();
                // a nearer frame on the same track: past N, it must not count; a fresh store would start at 1
                send(producer, topics, 3, 10, 14, 24, 32);
                assertThat(TestRecords.readAll(clients.consumer(null), topics.rendered(), 3, Duration.ofSeconds(60))).hasSize(3);
                FramingStats after = stats(second);
                assertThat(after.frames()).isEqualTo(2);
                assertThat(after.nearFootY()).isEqualTo(40);
                assertThat(after.farFootY()).isEqualTo(20);
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, long seq, int x, int y, int w, int h)
            throws Exception {
        try (Mat m = new Mat(48, 64, opencv_core.CV_8UC1, new Scalar(0)); Rect r = new Rect(x, y, w, h); Mat roi = m.apply(r)) {
            roi.put(new Scalar(TestSegments.TORSO));
            var seg = TestSegments.segment("cam1", seq, Timings.nowMicros()).toBuilder().setTrackId("cam1#1")
                    .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(m))).build();
            producer.send(new ProducerRecord<>(topics.segments(), "cam1", seg.toByteArray())).get();
        }
    }

    /** cam1's statistics in the app's store (queryable once the task is running). */
    private static FramingStats stats(TransferStreamApp app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                byte[] v = app.streams().store(StoreQueryParameters.fromNameAndType(TransferStreamApp.FRAMING_STORE,
                        QueryableStoreTypes.<String, byte[]>keyValueStore())).get("cam1");
                if (v != null) {
                    return FramingStats.fromProto(SourceFraming.parseFrom(v).getStats());
                }
            } catch (InvalidStateStoreException e) {
                // rebalancing or restoring: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no statistics for cam1 in " + TransferStreamApp.FRAMING_STORE);
            }
            Thread.sleep(100);
        }
    }
}
