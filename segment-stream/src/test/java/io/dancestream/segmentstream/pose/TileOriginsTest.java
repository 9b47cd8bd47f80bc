package io.dancestream.segmentstream.pose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TileOriginsTest {

    @Test
    void aFullRoundCoversEveryTileOnceAndTheSpreadPassWrapsAround() {
        int[][] all = PoseDetector.tileOrigins(640, 480, 0, Integer.MAX_VALUE);
        assertThat(all[0]).hasSize(12).hasSize(PoseDetector.tileCount(640, 480));
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 12; k++) {
            seen.add(all[0][k] + "," + all[1][k]);
            // 288-px tiles inside the frame
            assertThat(all[0][k] + PoseDetector.tileSide(640, 480)).isLessThanOrEqualTo(640);
            assertThat(all[1][k] + PoseDetector.tileSide(640, 480)).isLessThanOrEqualTo(480);
        }
        assertThat(seen).hasSize(12);
        // four frames of three tiles: the same twelve, in the same order
        Set<String> spread = new HashSet<>();
        for (int first = 0; first < 12; first += 3) {
            int[][] part = PoseDetector.tileOrigins(640, 480, first, 3);
            for (int k = 0; k < 3; k++) {
                assertThat(part[0][k]).isEqualTo(all[0][first + k]);
                assertThat(part[1][k]).isEqualTo(all[1][first + k]);
                spread.add(part[0][k] + "," + part[1][k]);
            }
        }
        assertThat(spread).isEqualTo(seen);
        int[][] wrapped = PoseDetector.tileOrigins(640, 480, 10, 3);
        assertThat(wrapped[0]).containsExactly(all[0][10], all[0][11], all[0][0]);
        assertThat(wrapped[1]).containsExactly(all[1][10], all[1][11], all[1][0]);
    }

    @Test
    void theTileAroundAPointIsTheOneCentredNearestIt() {
        int[][] all = PoseDetector.tileOrigins(640, 480, 0, Integer.MAX_VALUE);
        int side = PoseDetector.tileSide(640, 480);
        for (int k = 0; k < 12; k++) {
            double cx = all[0][k] + side / 2.0, cy = all[1][k] + side / 2.0;
            assertThat(PoseDetector.tileAround(640, 480, cx + 3, cy - 2)).isEqualTo(k);
        }
        int corner = PoseDetector.tileAround(640, 480, 630, 470);
        assertThat(all[0][corner] + side).isEqualTo(640);
        assertThat(all[1][corner] + side).isEqualTo(480);
        assertThat(PoseDetector.tileAround(640, 480, 5, 5)).isZero();
    }
}
