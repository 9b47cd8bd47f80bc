package io.dancestream.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that names dancestream's topics, their partition counts and configs.
 *
 * <p>A topic name is {@code prefix + base}; the default prefix {@code "dance."} gives the names
 * of docs/design.md ({@code dance.frames}, ...). Tests and side-by-side deployments use their own
 * prefix.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "dance.";

    /**
     * Largest record a topic accepts. Frames are JPEGs (a 4K frame at high quality is a few MB);
     * 16 MiB leaves room for a TrainingPair (frame + PNG class map) while a runaway 20 MB payload
     * is refused by the producer with {@code RecordTooLargeException}.
     */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Partitions of the per-stream topics: streams spread over them, one stream stays in one. */
    public static final int DEFAULT_PARTITIONS = 4;

    private static final long LIVE_RETENTION_MS = Duration.ofHours(6).toMillis();

    private final String prefix;

    public Topics(String prefix) {
        this.prefix = Objects.requireNonNullElse(prefix, DEFAULT_PREFIX);
    }

    public static Topics withDefaultPrefix() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String prefix() { return prefix; }
    public String frames() { return prefix + "frames"; }
    public String masksRaw() { return prefix + "masks.raw"; }
    public String segments() { return prefix + "segments"; }
    public String pairs() { return prefix + "pairs"; }
    public String rendered() { return prefix + "rendered"; }
    public String models() { return prefix + "models"; }
    public String dlq() { return prefix + "dlq"; }

    /** Every topic with its partitions and configs, as "ensure topics" creates them. */
    public List<TopicSpec> specs() {
        return specs(DEFAULT_PARTITIONS);
    }

    public List<TopicSpec> specs(int partitions) {
        Map<String, String> live = Map.of(
                "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES),
                "retention.ms", String.valueOf(LIVE_RETENTION_MS),
                "message.timestamp.type", "CreateTime");
        Map<String, String> kept = Map.of(
                "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES),
                "retention.ms", "-1",
                "retention.bytes", "-1");
        return List.of(
                new TopicSpec(frames(), partitions, live),
                new TopicSpec(masksRaw(), partitions, live),
                new TopicSpec(segments(), partitions, live),
                new TopicSpec(pairs(), partitions, kept),
                new TopicSpec(rendered(), partitions, live),
                // one partition: the model history is small and must be totally ordered
                new TopicSpec(models(), 1, Map.of(
                        "cleanup.policy", "compact",
                        "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))),
                new TopicSpec(dlq(), 1, kept));
    }

    /** A topic to create: name, partitions and topic-level configs. */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    }
}
