package io.dancestream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A live source's reconnect delays. */
class BackoffTest {

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        assertThat(List.of(0, 1, 2, 3, 4, 5, 40).stream().map(b::delayMillis).toList())
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 10000L, 10000L);
    }
}
