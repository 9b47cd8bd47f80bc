package io.dancestream.transferstream;

import io.dancestream.common.kafka.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;

/** transfer-stream's dead letters: common's DLQ headers, with this stage's name. */
final class DeadLetters {

    static final String STAGE_NAME = "transfer-stream";

    private DeadLetters() {
    }

    static Headers headers(Throwable error, RecordSource source) {
        return DeadLetterHeaders.of(STAGE_NAME, error, source.topic(), source.partition(), source.offset());
    }
}
