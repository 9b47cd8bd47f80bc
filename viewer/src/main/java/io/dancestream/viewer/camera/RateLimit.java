package io.dancestream.viewer.camera;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} frames a second, bursts up to one second's worth (a tab that
 * was hidden for a moment catches up; a client that floods does not).
 */
final class RateLimit {

    private final double perSecond;
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    RateLimit(double perSecond, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.nanos = nanos;
        this.tokens = perSecond;
        this.last = nanos.getAsLong();
    }

    /** Takes one frame's token; false when the connection is over its rate. */
    synchronized boolean tryTake() {
        long now = nanos.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
