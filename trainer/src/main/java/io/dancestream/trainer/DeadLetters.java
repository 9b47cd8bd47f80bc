package io.dancestream.trainer;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a pair the trainer cannot use to the DLQ with the reason, instead of dropping it silently. */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<String, byte[]> producer;
    private final String dlqTopic;
    private int count;

    DeadLetters(Producer<String, byte[]> producer, String dlqTopic) {
        this.producer = producer;
        this.dlqTopic = dlqTopic;
    }

    void send(ConsumerRecord<String, byte[]> rec, String reason) {
        count++;
        LOG.warn("skipping pair at {}-{}@{}: {}", rec.topic(), rec.partition(), rec.offset(), reason);
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(dlqTopic, rec.key(), rec.value());
        out.headers().add("stage", "trainer".getBytes(StandardCharsets.UTF_8));
        out.headers().add("error", reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add("source.topic", rec.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add("source.partition", String.valueOf(rec.partition()).getBytes(StandardCharsets.UTF_8));
        out.headers().add("source.offset", String.valueOf(rec.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(out);
    }

    int count() {
        return count;
    }
}
