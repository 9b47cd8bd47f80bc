package io.dancestream.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * The header names of a {@code dance.dlq} record (docs/design.md, Headers), written by
 * {@link DeadLetter}, so one tool can read any dead letter.
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

    /** A header's value as text, or null when absent. */
    public static String text(Headers h, String key) {
        var last = h.lastHeader(key);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }
}
