package io.dancestream.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a {@code dance.dlq} record, the same from every stage (docs/design.md: the original
 * bytes + stage, error, source topic/partition/offset), so one tool can read any dead letter.
 * The record's value stays the original bytes, for inspection or replay.
 */
public final class DeadLetterHeaders {

    public static final String STAGE = "dance.dlq.stage";
    public static final String ERROR_CLASS = "dance.dlq.error.class";
    public static final String ERROR_MESSAGE = "dance.dlq.error.message";
    public static final String SOURCE_TOPIC = "dance.dlq.source.topic";
    public static final String SOURCE_PARTITION = "dance.dlq.source.partition";
    public static final String SOURCE_OFFSET = "dance.dlq.source.offset";

    private DeadLetterHeaders() {
    }

    public static Headers of(String stage, Throwable error, String topic, int partition, long offset) {
        return of(stage, error.getClass().getName(), String.valueOf(error.getMessage()), topic, partition, offset);
    }

    public static Headers of(String stage, String errorClass, String errorMessage, String topic, int partition,
                             long offset) {
        RecordHeaders h = new RecordHeaders();
        add(h, STAGE, stage);
        add(h, ERROR_CLASS, errorClass);
        add(h, ERROR_MESSAGE, errorMessage);
        add(h, SOURCE_TOPIC, topic);
        add(h, SOURCE_PARTITION, String.valueOf(partition));
        add(h, SOURCE_OFFSET, String.valueOf(offset));
        return h;
    }

    /** A header's value as text, or null when absent. */
    public static String text(Headers h, String key) {
        var last = h.lastHeader(key);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers h, String key, String value) {
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
