package io.dancestream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** Every plain producer of dancestream (ingest, replay, trainer, viewer camera, DLQs) comes from here. */
class KafkaClientsProducerTest {

    @Test
    void producersAreAcksAllAndIdempotentEvenWhenTheFileAsksLess() {
        Properties file = new Properties();
        file.put("bootstrap.servers", "broker-1:9092");
        file.put(ProducerConfig.ACKS_CONFIG, "1");
        file.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        Map<String, Object> p = new HashMap<>();
        KafkaClients.of(file).producer("test").forEach((k, v) -> p.put((String) k, v));
        ProducerConfig parsed = new ProducerConfig(p);
        assertThat(parsed.getString(ProducerConfig.ACKS_CONFIG)).isIn("all", "-1");
        assertThat(parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(parsed.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isLessThanOrEqualTo(5);
    }
}
