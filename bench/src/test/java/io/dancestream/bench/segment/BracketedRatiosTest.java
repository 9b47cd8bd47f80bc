package io.dancestream.bench.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BracketedRatiosTest {

    @Test
    void aKafkaRunIsComparedWithTheMeanOfTheBareRunsAroundIt() {
        // the VM sped up from 30 to 40 frames/s over the three runs: Kafka at 31.5 is 0.90 of the 35 around it
        assertThat(BracketedRatios.ratio(30, 31.5, 40)).isCloseTo(0.90, within(1e-9));
        assertThat(BracketedRatios.ratio(40, 40, 40)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void anEvenCountsMedianIsCalledTheLowerMiddle() {
        assertThat(BracketedRatios.medianLabel(3)).isEqualTo("median");
        assertThat(BracketedRatios.medianLabel(2)).isEqualTo("lower median");
    }
}
