package io.dancestream.viewer;

import java.time.Duration;

/**
 * When a silent stream counts as ended, and how long an ended stream stays on the page.
 *
 * <p>An ended stream stays with its last frames so that people can look at the result (the
 * demo's {@code --linger} exists for that). By default it stays until newer ended streams push
 * it out ({@link LiveStreams#MAX_ENDED} are kept) or a new stream needs its slot: a viewer left
 * open should still show what it last showed, and memory stays bounded by the stream count,
 * never by time.
 *
 * @param endedAfter a stream with no frame for this long is shown as ended
 * @param keepEnded  an ended stream is forgotten this long after its last frame (longer than
 *                   {@code endedAfter}); zero = no time limit (only the count bounds it)
 */
public record StreamEnding(Duration endedAfter, Duration keepEnded) {

    /** Long enough that a live pipeline's hiccup (a model swap, a GC) does not flip a stream to ended. */
    public static final Duration DEFAULT_ENDED_AFTER = Duration.ofSeconds(5);

    public StreamEnding {
        if (endedAfter == null || endedAfter.isNegative() || endedAfter.isZero()) {
            throw new IllegalArgumentException("the time after which a silent stream counts as ended must be positive");
        }
        if (keepEnded == null || keepEnded.isNegative()) {
            throw new IllegalArgumentException("the time ended streams are kept must be 0 (no limit) or positive");
        }
        if (!keepEnded.isZero() && keepEnded.compareTo(endedAfter) <= 0) {
            // both count from the last frame: a shorter retention would forget streams before they show as ended
            throw new IllegalArgumentException("ended streams must be kept longer (" + keepEnded.toSeconds()
                    + " s) than the time after which a stream counts as ended (" + endedAfter.toSeconds() + " s)");
        }
    }

    public static StreamEnding defaults() {
        return new StreamEnding(DEFAULT_ENDED_AFTER, Duration.ZERO);
    }

    boolean keepsForever() {
        return keepEnded.isZero();
    }
}
