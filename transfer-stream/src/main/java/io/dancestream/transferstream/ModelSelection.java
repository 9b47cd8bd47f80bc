package io.dancestream.transferstream;

import java.util.Map;

/**
 * Which model renders which stream: an explicit model name per stream id, else the most
 * recently activated model of any name ("latest", the default).
 */
public record ModelSelection(Map<String, String> modelPerStream) {

    public ModelSelection {
        modelPerStream = Map.copyOf(modelPerStream);
    }

    public static ModelSelection latest() {
        return new ModelSelection(Map.of());
    }

    /** The model name pinned for a stream, or null for "latest". */
    public String pinned(String streamId) {
        return modelPerStream.get(streamId);
    }

    /** Parses {@code stream=model} pairs (command line). */
    public static ModelSelection parse(Map<String, String> pairs) {
        return new ModelSelection(pairs == null ? Map.of() : pairs);
    }
}
