package io.dancestream.trainer.data;

import io.dancestream.common.kafka.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a pair the trainer cannot use to the DLQ with the reason, instead of dropping it silently. */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** The error class header of a pair the trainer cannot decode or use. */
    static final String UNUSABLE_PAIR = "io.dancestream.trainer.UnusablePair";

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
        producer.send(new ProducerRecord<>(dlqTopic, null, rec.key(), rec.value(), DeadLetterHeaders.of("trainer",
                UNUSABLE_PAIR, reason, rec.topic(), rec.partition(), rec.offset())));
    }

    int count() {
        return count;
    }
}
