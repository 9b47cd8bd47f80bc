package io.dancestream.ingest.source;

import java.time.Duration;

/** Reconnect delays of a live source: doubling from {@code initial} up to {@code max}. */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

    long delayMillis(int attempt) {
        long d = initial.toMillis() << Math.min(attempt, 20);
        return Math.min(d, max.toMillis());
    }
}
