package io.dancestream.common.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link DeadLetter}s from a plain producer, for a stage that is not a Streams topology (the
 * trainer), so a record it cannot use is put aside with the reason instead of dropped silently.
 * Topologies send theirs through {@link DeadLetterHandlers} or a DLQ sink node.
 */
public final class DeadLetterProducer<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProducer.class);

    private final Producer<K, V> producer;
    private final String dlqTopic;
    private int count;

    public DeadLetterProducer(Producer<K, V> producer, String dlqTopic) {
        this.producer = producer;
        this.dlqTopic = dlqTopic;
    }

    public void send(DeadLetter<K, V> letter) {
        count++;
        LOG.warn("to {}: {}", dlqTopic, letter);
        producer.send(letter.toProducerRecord(dlqTopic));
    }

    /** How many were sent. */
    public int count() {
        return count;
    }
}
