package io.dancestream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Landmark;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.RecordSerde;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.records.Timings;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class TopicsAndRecordsIT {

    @Test
    void ensureTopicsCreatesEveryTopicWithItsConfigAndIsIdempotent(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = TestTopics.unique("ensure");
        KafkaClients clients = broker.clients();
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(20));
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(20)); // again: no error

        try (Admin admin = Admin.create(clients.common())) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topics.frames(), topics.models()))
                    .allTopicNames().get();
            assertThat(d.get(topics.frames()).partitions()).hasSize(Topics.DEFAULT_PARTITIONS);
            assertThat(d.get(topics.models()).partitions()).hasSize(1);
            Map<ConfigResource, Config> cfg = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, topics.models()),
                    new ConfigResource(ConfigResource.Type.TOPIC, topics.pairs()),
                    new ConfigResource(ConfigResource.Type.TOPIC, topics.frames()))).all().get();
            assertThat(cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, topics.models()))
                    .get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, topics.pairs()))
                    .get("retention.ms").value()).isEqualTo("-1");
            assertThat(cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, topics.frames()))
                    .get("max.message.bytes").value()).isEqualTo(String.valueOf(Topics.MAX_MESSAGE_BYTES));
        }
    }

    @Test
    void ensureTopicsFailsClearlyWhenNoBrokerAnswers() {
        KafkaClients nowhere = KafkaClients.load("127.0.0.1:1", null);
        assertThatThrownBy(() -> TopicAdmin.ensureTopics(nowhere.common(), TestTopics.unique("nobroker").specs(),
                Duration.ofSeconds(3)))
                .isInstanceOf(TopicAdmin.BrokerUnreachableException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("did not answer within 3 s");
    }

    @Test
    void everyRecordTypeRoundTripsThroughARealTopic(EmbeddedKafkaBroker broker) {
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "roundtrip");
        long now = Timings.nowMicros();
        var timing = Timings.stage("ingest", now - 500, now);
        List<Case<?>> cases = List.of(
                new Case<>(topics.frames(), RecordSerdes.frame(), Frame.newBuilder().setStreamId("cam1").setSeq(7)
                        .setCaptureTimeUs(now).setWidth(640).setHeight(480).setJpeg(ByteString.copyFrom(new byte[] {1, 2, 3}))
                        .setSource("file:/x.avi").addTimings(timing).build()),
                new Case<>(topics.masksRaw(), RecordSerdes.rawMask(), RawMask.newBuilder().setStreamId("cam1").setSeq(7)
                        .setCaptureTimeUs(now).setWidth(640).setHeight(480).setImage(ByteString.copyFrom(new byte[] {9}))
                        .addTimings(timing).build()),
                new Case<>(topics.segments(), RecordSerdes.segmentation(), Segmentation.newBuilder().setStreamId("cam1")
                        .setSeq(7).setCaptureTimeUs(now).setWidth(640).setHeight(480)
                        .setClassMap(ByteString.copyFrom(new byte[] {4, 5})).setPersonScore(0.9f)
                        .addLandmarks(Landmark.newBuilder().setX(1).setY(2).setZ(3).setVisibility(0.5f))
                        .setModelId("blazepose-full").addTimings(timing).build()),
                new Case<>(topics.pairs(), RecordSerdes.trainingPair(), TrainingPair.newBuilder().setStreamId("cam1")
                        .setSeq(7).setCaptureTimeUs(now).setWidth(640).setHeight(480)
                        .setFrameJpeg(ByteString.copyFrom(new byte[] {1})).setClassMap(ByteString.copyFrom(new byte[] {2}))
                        .addTimings(timing).build()),
                new Case<>(topics.rendered(), RecordSerdes.rendered(), Rendered.newBuilder().setStreamId("cam1").setSeq(7)
                        .setCaptureTimeUs(now).setWidth(640).setHeight(480).setJpeg(ByteString.copyFrom(new byte[] {3}))
                        .setGeneratorVersion("v1").addTimings(timing).build()),
                new Case<>(topics.models(), RecordSerdes.modelVersion(), ModelVersion.newBuilder().setName("gen")
                        .setVersion("v1").setLocation("/models/gen/v1").setSha256("a".repeat(64)).setSteps(100)
                        .putMetrics("heldout_l1", 0.12).addTimings(timing).build()));

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("roundtrip"))) {
            for (Case<?> c : cases) {
                c.send(producer, now / 1000);
            }
        }
        for (Case<?> c : cases) {
            var records = TestRecords.readAll(clients.consumer(null), c.topic, 1, Duration.ofSeconds(20));
            assertThat(records).as(c.topic).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo(c.value instanceof ModelVersion ? "gen" : "cam1");
            assertThat(records.get(0).timestamp()).isEqualTo(now / 1000);
            Message decoded = c.serde.decode(c.topic, records.get(0).partition(), records.get(0).offset(),
                    records.get(0).value());
            assertThat(decoded).isEqualTo(c.value);
        }
    }

    @Test
    void aTwoMegabyteFrameFitsAndATwentyMegabyteOneIsRefusedAtTheProducer(EmbeddedKafkaBroker broker) throws Exception {
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "size");
        byte[] twoMb = new byte[2 * 1024 * 1024];
        new Random(1).nextBytes(twoMb);
        byte[] twentyMb = new byte[20 * 1024 * 1024];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("size"))) {
            RecordMetadata md = producer.send(new ProducerRecord<>(topics.frames(), "cam1", twoMb)).get(30, TimeUnit.SECONDS);
            assertThat(md.serializedValueSize()).isEqualTo(twoMb.length);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topics.frames(), "cam1", twentyMb))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("larger than");
        }
        var records = TestRecords.readAll(clients.consumer(null), topics.frames(), 1, Duration.ofSeconds(20));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).isEqualTo(twoMb);
    }

    private record Case<T extends Message>(String topic, RecordSerde<T> serde, T value) {
        void send(KafkaProducer<String, byte[]> producer, long timestampMs) {
            String key = value instanceof ModelVersion m ? m.getName() : "cam1";
            try {
                producer.send(new ProducerRecord<>(topic, null, timestampMs, key, serde.serialize(topic, value)))
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("send to " + topic + " failed", e);
            }
        }
    }
}
