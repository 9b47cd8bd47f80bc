package io.dancestream.segmentstream.stream;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Which streams are training streams (their frames become {@code dance.pairs}): those whose
 * records carry the header {@code dance.train=1} (set by {@code dance ingest --train}) and those
 * named in the configuration.
 */
public final class TrainingStreams {

    public static final String HEADER = "dance.train";

    private final Set<String> ids;

    public TrainingStreams(Set<String> ids) {
        this.ids = Set.copyOf(ids);
    }

    public static TrainingStreams headerOnly() {
        return new TrainingStreams(Set.of());
    }

    public boolean isTraining(String streamId, Headers headers) {
        return ids.contains(streamId) || hasHeader(headers);
    }

    public static boolean hasHeader(Headers headers) {
        if (headers == null) {
            return false;
        }
        Header h = headers.lastHeader(HEADER);
        return h != null && h.value() != null && "1".equals(new String(h.value(), StandardCharsets.UTF_8).trim());
    }

    public Set<String> ids() {
        return ids;
    }
}
