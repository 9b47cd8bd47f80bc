package io.dancestream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.records.Timings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pacing arithmetic: media times onto the wall clock, loops, and when max pace waits. */
class PacerTest {

    @Test
    void pacerLaysMediaTimesOntoTheWallClockAndLoopsContinue() {
        Pacer p = new Pacer(Pace.max);
        long before = Timings.nowMicros();
        long t0 = p.captureTime(500_000);
        assertThat(t0).isGreaterThanOrEqualTo(before);
        assertThat(p.captureTime(600_000) - t0).isEqualTo(100_000);
        assertThat(p.captureTime(600_000) - t0).isEqualTo(100_001); // a repeated media time still moves forward
        p.restart(100_000);
        assertThat(p.captureTime(500_000) - t0).isEqualTo(200_001);
        // max pace only waits when frames would run 50 min ahead of the clock
        assertThat(p.awaitSendTime(Timings.nowMicros() + TimeUnit.MINUTES.toMicros(10), () -> false)).isTrue();
        assertThat(new Pacer(Pace.realtime).awaitSendTime(Timings.nowMicros() + 60_000_000L, () -> true)).isFalse();
    }
}
