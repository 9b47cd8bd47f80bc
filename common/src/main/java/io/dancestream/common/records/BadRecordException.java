package io.dancestream.common.records;

/**
 * A record value that is not a valid message of the expected type. Names where the record came
 * from (topic, and partition/offset when known) so a DLQ entry or log line can be traced.
 */
public class BadRecordException extends RuntimeException {

    private final String topic;
    private final int partition;
    private final long offset;
    private final String expectedType;

    public BadRecordException(String topic, int partition, long offset, String expectedType, String reason,
                              Throwable cause) {
        super(describe(topic, partition, offset, expectedType, reason), cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.expectedType = expectedType;
    }

    private static String describe(String topic, int partition, long offset, String type, String reason) {
        StringBuilder sb = new StringBuilder("bad ").append(type).append(" record in topic ").append(topic);
        if (partition >= 0) {
            sb.append(" partition ").append(partition);
        }
        if (offset >= 0) {
            sb.append(" offset ").append(offset);
        }
        return sb.append(": ").append(reason).toString();
    }

    /** Returns the same failure with the record's position filled in. */
    public BadRecordException at(int partition, long offset) {
        return new BadRecordException(topic, partition, offset, expectedType, reason(), getCause());
    }

    private String reason() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }

    public String topic() { return topic; }
    public int partition() { return partition; }
    public long offset() { return offset; }
    public String expectedType() { return expectedType; }
}
