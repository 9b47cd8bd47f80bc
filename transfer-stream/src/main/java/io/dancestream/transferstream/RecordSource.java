package io.dancestream.transferstream;

import io.dancestream.common.kafka.DeadLetter;

/** Where a consumed record came from, for DLQ headers and error messages. */
record RecordSource(String topic, int partition, long offset) {

    /** transfer-stream's stage name in the DLQ headers. */
    static final String STAGE_NAME = "transfer-stream";

    static RecordSource unknown(String topic) {
        return new RecordSource(topic, -1, -1);
    }

    <K, V> DeadLetter<K, V> deadLetter(Throwable error, K key, V value) {
        return DeadLetter.of(STAGE_NAME, error, topic, partition, offset, key, value);
    }
}
