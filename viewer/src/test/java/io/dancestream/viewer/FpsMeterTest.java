package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FpsMeterTest {

    @Test
    void measuresArrivalRateAndDecaysWhenTheStreamStops() {
        FpsMeter m = new FpsMeter();
        long t = 5_000_000_000L;
        for (int i = 0; i < 15; i++) {
            m.tick(t + i * 100_000_000L); // 10 fps
        }
        long last = t + 14 * 100_000_000L;
        assertThat(m.fps(last)).isCloseTo(10.0, within(0.01));
        assertThat(m.fps(last + 1_000_000_000L)).isLessThan(10.0).isGreaterThan(0);
        assertThat(m.fps(last + 3_000_000_000L)).isZero();
        // what a stopped stream shows: the rate it had when its last frame arrived
        assertThat(m.fpsAtLastArrival()).isCloseTo(10.0, within(0.01));
    }
}
