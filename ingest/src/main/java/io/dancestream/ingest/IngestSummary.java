package io.dancestream.ingest;

/**
 * What one ingest run did. {@code frames} and {@code masks} count records the broker
 * acknowledged; capture times are µs since the epoch (-1 when nothing was sent).
 */
public record IngestSummary(String streamId, String source, long frames, long masks, long droppedStale,
                            long unreadable, int reconnects, long firstCaptureUs, long lastCaptureUs,
                            long elapsedNanos, long encodeNanos) {

    /** Frames acknowledged per second of wall time. */
    public double framesPerSecond() {
        return elapsedNanos <= 0 ? 0 : frames * 1e9 / elapsedNanos;
    }

    /** Mean resize + JPEG encode time per frame, in milliseconds. */
    public double encodeMillisPerFrame() {
        return frames == 0 ? 0 : encodeNanos / 1e6 / frames;
    }

    /** One line for the CLI. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "ingested %d frames%s of stream %s from %s in %.1f s (%.1f frames/s, encode %.2f ms/frame)%s%s",
                frames, masks > 0 ? " and " + masks + " masks" : "", streamId, source, elapsedNanos / 1e9,
                framesPerSecond(), encodeMillisPerFrame(),
                droppedStale > 0 ? ", " + droppedStale + " stale frames dropped" : "",
                unreadable > 0 ? ", " + unreadable + " unreadable frames skipped" : "");
    }
}
