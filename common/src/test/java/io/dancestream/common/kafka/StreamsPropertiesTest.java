package io.dancestream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.config.Mode;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private static Properties user(String... kv) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "broker-1:9092");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theGuaranteeFollowsTheMode() {
        assertThat(StreamsProperties.guarantee(Mode.replay)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(StreamsProperties.guarantee(Mode.live)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        Properties p = StreamsProperties.resolve("app", Map.of(), StreamsProperties.guarantee(Mode.replay), user());
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void theUsersKafkaConfigWinsOverTheModeTheAppAndTheSharedDefaults() {
        Properties p = StreamsProperties.resolve("app",
                Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000, StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 2),
                StreamsConfig.EXACTLY_ONCE_V2,
                user(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250",
                        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0",
                        StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "7",
                        "session.timeout.ms", "6000"));
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("250");
        assertThat(p.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo("0");
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG))).isEqualTo("7");
        StreamsConfig parsed = new StreamsConfig(p);
        assertThat(parsed.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(parsed.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isZero();
        assertThat(parsed.getMainConsumerConfigs("g", "c", 0)).containsEntry("session.timeout.ms", "6000");
    }

    @Test
    void theAppsDefaultsWinOverTheSharedOnesAndTheApplicationIdIsTheApps() {
        Properties p = StreamsProperties.resolve("dance.segment-pairs",
                Map.of(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0), StreamsConfig.AT_LEAST_ONCE,
                user(StreamsConfig.APPLICATION_ID_CONFIG, "from-a-file"));
        assertThat(p.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(0);
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("dance.segment-pairs");
        assertThat(StreamsProperties.resolve("x", Map.of(), StreamsConfig.AT_LEAST_ONCE, user())
                .get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(StreamsProperties.DEFAULT_STANDBY_REPLICAS);
    }

    @Test
    void producersKeepAcksAllAndIdempotenceInBothGuarantees() {
        for (String guarantee : new String[] {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2}) {
            StreamsConfig c = new StreamsConfig(StreamsProperties.resolve("app", Map.of(), guarantee, user()));
            Map<String, Object> producer = c.getProducerConfigs("client");
            // absent means Kafka's producer defaults: acks=all, enable.idempotence=true
            assertThat(String.valueOf(producer.getOrDefault(ProducerConfig.ACKS_CONFIG, "all"))).as(guarantee)
                    .isIn("all", "-1");
            assertThat(String.valueOf(producer.getOrDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")))
                    .as(guarantee).isEqualTo("true");
            Object inFlight = producer.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
            assertThat(inFlight == null ? 5 : Integer.parseInt(String.valueOf(inFlight))).as("idempotence needs <= 5 in flight")
                    .isLessThanOrEqualTo(5);
            ProducerConfig parsed = new ProducerConfig(withSerializers(producer));
            assertThat(parsed.getString(ProducerConfig.ACKS_CONFIG)).isIn("all", "-1");
            assertThat(parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        }
    }

    private static Map<String, Object> withSerializers(Map<String, Object> producer) {
        Map<String, Object> m = new java.util.HashMap<>(producer);
        m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return m;
    }
}
