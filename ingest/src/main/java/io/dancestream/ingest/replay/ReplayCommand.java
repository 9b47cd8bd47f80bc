package io.dancestream.ingest.replay;

import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.ingest.source.Pace;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance replay}: re-publish a recorded topic (or a range of it) into another topic. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-publish a recorded topic, or an offset/time range of it, for one stream or all, into "
                + "another topic with the original inter-frame timing (--pace realtime) or as fast as possible.",
            "Capture times are moved to now (relative timing kept) unless --keep-timestamps."})
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--from-topic", paramLabel = "TOPIC", required = true,
            description = "The recorded topic (a full name, or frames/masks.raw/segments/pairs/rendered under --topic-prefix).")
    String fromTopic;

    @Option(names = "--to-topic", paramLabel = "TOPIC", defaultValue = "frames",
            description = "Where to publish (default: the frames topic under --topic-prefix).")
    String toTopic;

    @Option(names = "--stream", paramLabel = "ID", description = "Only this stream (default: all streams).")
    String stream;

    @Option(names = "--pace", paramLabel = "realtime|max", defaultValue = "realtime",
            description = "realtime keeps the original timing, max goes as fast as possible (default: ${DEFAULT-VALUE}).")
    Pace pace;

    @Option(names = "--from-offset", paramLabel = "N", description = "First offset (per partition).")
    Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "N", description = "Last offset, inclusive (per partition).")
    Long toOffset;

    @Option(names = "--from-time", paramLabel = "TIME", description = "First record time: ISO-8601 (2026-01-31T12:00:00Z) or epoch ms.")
    String fromTime;

    @Option(names = "--to-time", paramLabel = "TIME", description = "Last record time, inclusive.")
    String toTime;

    @Option(names = "--keep-timestamps", description = "Copy capture times unchanged instead of moving them to now.")
    boolean keepTimestamps;

    @Option(names = "--type", paramLabel = "KIND",
            description = "Record type when the topic name does not say: frames, masks.raw, segments, pairs, rendered.")
    String type;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        // a replay is a job next to running services: no metrics port unless asked for
        try (ServiceRuntime rt = ServiceRuntime.start("replay", service, -1)) {
            String from = TopicNames.resolve(rt.topics(), fromTopic);
            String to = TopicNames.resolve(rt.topics(), toTopic);
            var s = TopicReplayer.builder(rt.clients(), from, to)
                    .streamId(stream).pace(pace).offsets(fromOffset, toOffset)
                    .times(time(fromTime, "--from-time"), time(toTime, "--to-time"))
                    .keepTimestamps(keepTimestamps).kind(type).progress(!noProgress)
                    .stopWhen(rt::stopRequested).build().run();
            System.out.println(s.describe(from, to));
        }
        return 0;
    }

    static Instant time(String value, String option) {
        if (value == null) {
            return null;
        }
        try {
            return value.matches("\\d+") ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + " takes an ISO-8601 time such as 2026-01-31T12:00:00Z or "
                    + "epoch milliseconds, not " + value);
        }
    }
}
