package io.dancestream.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka headers ingest puts on Frame and RawMask records. */
public final class IngestHeaders {

    /**
     * {@code dance.train=1}: the frame belongs to a training stream, so segment-stream also
     * writes its (frame, part map) pair to {@code dance.pairs}.
     */
    public static final String TRAIN = "dance.train";

    static final byte[] ONE = "1".getBytes(StandardCharsets.UTF_8);

    private IngestHeaders() {
    }

    /** True when the record carries {@code dance.train=1}. */
    public static boolean isTraining(Headers headers) {
        Header h = headers.lastHeader(TRAIN);
        return h != null && "1".equals(new String(h.value(), StandardCharsets.UTF_8));
    }
}
