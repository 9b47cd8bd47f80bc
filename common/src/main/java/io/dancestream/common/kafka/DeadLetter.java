package io.dancestream.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One {@code dance.dlq} record, the same from every stage (docs/design.md, Headers): the original
 * key and value, for inspection or replay, and headers naming the stage that refused it, the error
 * class and reason, and the source topic/partition/offset. The one builder of a dead letter; it is
 * sent the way the stage needs: as a {@link ProducerRecord} (a plain producer, or a Streams
 * exception handler, {@link DeadLetterHandlers}) or as a Streams {@link Record} forwarded to a DLQ
 * sink node.
 */
public record DeadLetter<K, V>(String stage, String errorClass, String errorMessage, String topic, int partition,
                               long offset, K key, V value) {

    public static <K, V> DeadLetter<K, V> of(String stage, Throwable error, String topic, int partition, long offset,
                                             K key, V value) {
        return new DeadLetter<>(stage, error.getClass().getName(), String.valueOf(error.getMessage()), topic,
                partition, offset, key, value);
    }

    public Headers headers() {
        RecordHeaders h = new RecordHeaders();
        add(h, DeadLetterHeaders.STAGE, stage);
        add(h, DeadLetterHeaders.ERROR_CLASS, errorClass);
        add(h, DeadLetterHeaders.ERROR_MESSAGE, errorMessage);
        add(h, DeadLetterHeaders.SOURCE_TOPIC, topic);
        add(h, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(partition));
        add(h, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(offset));
        return h;
    }

    /** For a producer (or a Streams exception handler's response); the broker stamps the time. */
    public ProducerRecord<K, V> toProducerRecord(String dlqTopic) {
        return new ProducerRecord<>(dlqTopic, null, key, value, headers());
    }

    /** For {@code context.forward(..., dlqSink)} inside a processor. */
    public Record<K, V> toRecord(long timestampMs) {
        return new Record<>(key, value, timestampMs, headers());
    }

    @Override
    public String toString() {
        return errorClass.substring(errorClass.lastIndexOf('.') + 1) + " at " + stage + " " + topic + "-" + partition
                + "@" + offset + ": " + errorMessage;
    }

    private static void add(Headers h, String key, String value) {
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
