package io.dancestream.transferstream;

/** Where a consumed record came from, for DLQ headers and error messages. */
record RecordSource(String topic, int partition, long offset) {

    static RecordSource unknown(String topic) {
        return new RecordSource(topic, -1, -1);
    }
}
