package io.dancestream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Baseline (c)'s retrieval: mean per-class IoU, background excluded. */
class ServingEvaluationTest {

    /** A 4x4 map: the top rows class {@code top}, the bottom rows class {@code bottom}, {@code split} rows of top. */
    private static byte[] map(int top, int bottom, int split) {
        byte[] m = new byte[16];
        for (int p = 0; p < 16; p++) {
            m[p] = (byte) (p / 4 < split ? top : bottom);
        }
        return m;
    }

    @Test
    void meanPerClassIouCountsEveryClassInEitherMap() {
        assertThat(ServingEvaluation.meanClassIou(map(1, 2, 2), map(1, 2, 2), 25)).isEqualTo(1.0);
        // class 1: 4 ∩ / 8 ∪ = 0.5; class 2: 8 ∩ / 12 ∪ ... rows 2,3 vs rows 1,2,3 → 8/12
        assertThat(ServingEvaluation.meanClassIou(map(1, 2, 2), map(1, 2, 1), 25)).isCloseTo((4.0 / 8 + 8.0 / 12) / 2,
                within(1e-9));
        // background is not a class: a person vs nothing scores 0, not the shared background
        assertThat(ServingEvaluation.meanClassIou(map(0, 3, 3), map(0, 0, 4), 25)).isZero();
    }

    @Test
    void nearestIsTheTrainingMapWithTheHighestMeanIou() {
        List<byte[]> train = List.of(map(5, 6, 1), map(5, 6, 3), map(7, 8, 2), map(5, 6, 2));
        assertThat(ServingEvaluation.nearestByIou(map(5, 6, 2), train, 25)).isEqualTo(3);
        assertThat(ServingEvaluation.nearestByIou(map(7, 8, 3), train, 25)).isEqualTo(2);
    }
}
