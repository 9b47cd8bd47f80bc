package io.dancestream.transferstream;

import io.dancestream.common.kafka.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;

/** transfer-stream's dead letters: common's DLQ headers, with this stage's name. */
final class DeadLetters {

    static final String STAGE = DeadLetterHeaders.STAGE;
    static final String ERROR_CLASS = DeadLetterHeaders.ERROR_CLASS;
    static final String ERROR_MESSAGE = DeadLetterHeaders.ERROR_MESSAGE;
    static final String SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
    static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
    static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;

    static final String STAGE_NAME = "transfer-stream";

    private DeadLetters() {
    }

    static Headers headers(Throwable error, RecordSource source) {
        return DeadLetterHeaders.of(STAGE_NAME, error, source.topic(), source.partition(), source.offset());
    }

    /** A header's value as text, or null. */
    static String text(Headers h, String key) {
        return DeadLetterHeaders.text(h, key);
    }
}
