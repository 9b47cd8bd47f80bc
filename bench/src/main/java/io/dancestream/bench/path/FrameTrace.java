package io.dancestream.bench.path;

import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.StageTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * bench-path's per-frame CSV ({@code --trace}): for each rendered frame of a run, its capture time
 * (UTC, and from the run's first capture), capture → rendered received, and per stage the wait before it (from
 * the previous stage's end, or capture) and its time in stage. A latency percentile says how long
 * the tail is; this says which frames make it and which stage held them.
 */
final class FrameTrace {

    static final String HEADER = "mode,seq,capture_utc,capture_ms,latency_ms,stage,wait_ms,stage_ms";

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private FrameTrace() {
    }

    /** Appends one line per frame and stage to {@code file} (the header first when the file is new). */
    static void append(Path file, String mode, List<PathBenchmark.Arrival> got) {
        long first = got.stream().mapToLong(a -> a.rendered().getCaptureTimeUs()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        if (!Files.exists(file)) {
            sb.append(HEADER).append('\n');
        }
        for (PathBenchmark.Arrival a : got) {
            Rendered r = a.rendered();
            long capture = r.getCaptureTimeUs();
            long previous = capture;
            for (StageTiming t : r.getTimingsList()) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%s,%.1f,%.1f,%s,%.1f,%.1f%n", mode, r.getSeq(),
                        UTC.format(Instant.ofEpochSecond(0, capture * 1000)), (capture - first) / 1e3,
                        (a.receivedUs() - capture) / 1e3, t.getStage(), (t.getStartUs() - previous) / 1e3,
                        (t.getEndUs() - t.getStartUs()) / 1e3));
                previous = t.getEndUs();
            }
        }
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file, e);
        }
    }
}
