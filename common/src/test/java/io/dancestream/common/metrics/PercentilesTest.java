package io.dancestream.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Nearest-rank: the smallest sample with at least q of the samples at or below it. */
class PercentilesTest {

    @Test
    void nearestRankIsAMeasuredValue() {
        long[] v = new long[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 - i; // unsorted on purpose
        }
        assertThat(Percentiles.of(v, 0.95)).isEqualTo(95.0);
        assertThat(Percentiles.of(v, 0.99)).isEqualTo(99.0);
        assertThat(Percentiles.of(v, 1.0)).isEqualTo(100.0);
        assertThat(Percentiles.of(v, 0.0)).isEqualTo(1.0);
        assertThat(v[0]).isEqualTo(100); // the input is left as it was
        assertThat(Percentiles.median(new long[] {4, 1, 3, 2})).isEqualTo(2.0);
        assertThat(Percentiles.of(List.of(5L, 1L, 9L), 0.5)).isEqualTo(5.0);
        assertThat(Percentiles.of(new double[] {0.5, 0.25}, 0.99)).isEqualTo(0.5);
        assertThat(Percentiles.of(new long[0], 0.5)).isNaN();
    }
}
