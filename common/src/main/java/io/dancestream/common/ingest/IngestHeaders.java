package io.dancestream.common.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka headers ingest (and the viewer's browser camera) put on Frame and RawMask records. */
public final class IngestHeaders {

    /**
     * {@code dance.train=1}: the frame belongs to a training stream, so segment-stream also
     * writes its (frame, part map) pair to {@code dance.pairs}.
     */
    public static final String TRAIN = "dance.train";

    /**
     * {@code dance.page_capture_ms}: for a browser-camera frame, the capture time the page took on
     * its own clock (ms, decimal). The record's capture time is the server's receive time, so a
     * browser's skewed clock cannot fool stale-frame checks; this header only lets the page's own
     * measurement (glass-to-glass on the page clock) be traced in the topic.
     */
    public static final String PAGE_CAPTURE_MS = "dance.page_capture_ms";

    static final byte[] ONE = "1".getBytes(StandardCharsets.UTF_8);

    private IngestHeaders() {
    }

    /** True when the record carries {@code dance.train=1}. */
    public static boolean isTraining(Headers headers) {
        Header h = headers.lastHeader(TRAIN);
        return h != null && "1".equals(new String(h.value(), StandardCharsets.UTF_8));
    }
}
