package io.dancestream.transferstream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.records.Timings;
import java.time.Duration;

/**
 * The flow limiter in front of inference. Live: a frame already older than the budget is
 * dropped (the caller counts it) rather than rendered late, so a slow generator cannot build a
 * queue. Replay: every frame is rendered.
 */
public record LatencyPolicy(Mode mode, Duration budget) {

    public static LatencyPolicy replay() {
        return new LatencyPolicy(Mode.replay, Duration.ZERO);
    }

    public static LatencyPolicy live(Duration budget) {
        return new LatencyPolicy(Mode.live, budget);
    }

    /** True when the frame captured at {@code captureTimeUs} should still be rendered now. */
    public boolean admit(long captureTimeUs) {
        return mode == Mode.replay || Timings.nowMicros() - captureTimeUs <= budget.toNanos() / 1000;
    }
}
