package io.dancestream.segmentstream.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColorHistogramTest {

    @Test
    void occupiedCountsTheBinsHoldingAPixel() {
        assertThat(ColorHistogram.occupied(new long[] {0, 3, 0, 1, 0})).isEqualTo(2);
        assertThat(ColorHistogram.occupied(new long[256])).isZero();
    }
}
