package io.dancestream.segmentstream.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RoiTest {

    @Test
    void cropPointInvertsTheCropToFrameMapping() {
        Roi roi = new Roi(310.5, 220.25, 180, 0.7);
        for (double[] uv : new double[][] {{0, 0}, {128, 128}, {255, 17}, {40.5, 200.25}}) {
            double x = roi.frameX(uv[0], uv[1], 256);
            double y = roi.frameY(uv[0], uv[1], 256);
            double[] back = roi.cropPoint(x, y, 256);
            assertThat(back[0]).isCloseTo(uv[0], within(1e-9));
            assertThat(back[1]).isCloseTo(uv[1], within(1e-9));
        }
    }
}
