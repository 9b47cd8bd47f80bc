package io.dancestream.ingest.replay;

import io.dancestream.common.kafka.Topics;

/** Lets the CLI take a short topic name (frames, rendered, ...) or a full one. */
public final class TopicNames {

    private TopicNames() {
    }

    public static String resolve(Topics topics, String name) {
        return switch (name) {
            case "frames" -> topics.frames();
            case "masks.raw", "masks" -> topics.masksRaw();
            case "segments" -> topics.segments();
            case "pairs" -> topics.pairs();
            case "rendered" -> topics.rendered();
            default -> name;
        };
    }
}
