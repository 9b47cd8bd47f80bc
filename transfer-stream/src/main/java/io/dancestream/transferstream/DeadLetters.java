package io.dancestream.transferstream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * DLQ record headers (DESIGN.md: the original bytes + stage, error, source topic/partition/offset).
 * The value stays the original bytes so the record can be inspected or replayed as it was.
 */
final class DeadLetters {

    static final String STAGE = "dance.dlq.stage";
    static final String ERROR_CLASS = "dance.dlq.error.class";
    static final String ERROR_MESSAGE = "dance.dlq.error.message";
    static final String SOURCE_TOPIC = "dance.dlq.source.topic";
    static final String SOURCE_PARTITION = "dance.dlq.source.partition";
    static final String SOURCE_OFFSET = "dance.dlq.source.offset";

    static final String STAGE_NAME = "transfer-stream";

    private DeadLetters() {
    }

    static Headers headers(Throwable error, RecordSource source) {
        RecordHeaders h = new RecordHeaders();
        add(h, STAGE, STAGE_NAME);
        add(h, ERROR_CLASS, error.getClass().getName());
        add(h, ERROR_MESSAGE, String.valueOf(error.getMessage()));
        add(h, SOURCE_TOPIC, source.topic());
        add(h, SOURCE_PARTITION, String.valueOf(source.partition()));
        add(h, SOURCE_OFFSET, String.valueOf(source.offset()));
        return h;
    }

    private static void add(Headers h, String key, String value) {
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A header's value as text, or null. */
    static String text(Headers h, String key) {
        var last = h.lastHeader(key);
        return last == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }
}
