package io.dancestream.segmentstream.pose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The part of the frame the class map is warped into: the ROI's bounding box, clipped. */
class FrameBoxTest {

    @Test
    void uprightRoiInsideTheFrameIsItsSquarePlusAPixelOfMargin() {
        assertThat(Segmenter.frameBox(new Roi(320, 240, 100, 0), 640, 480)).containsExactly(269, 189, 372, 292);
    }

    @Test
    void rotatedRoiCoversItsRotatedCorners() {
        // 45°: the square's corners lie side/√2 · √2 = side·0.707 from the centre along the axes
        int[] box = Segmenter.frameBox(new Roi(320, 240, 100, Math.PI / 4), 640, 480);
        assertThat(box[0]).isBetween(248, 250);
        assertThat(box[2]).isBetween(391, 393);
    }

    @Test
    void roiOverTheEdgeIsClippedAndOneOutsideIsNone() {
        assertThat(Segmenter.frameBox(new Roi(10, 470, 100, 0), 640, 480)).containsExactly(0, 419, 62, 480);
        assertThat(Segmenter.frameBox(new Roi(-200, 240, 100, 0), 640, 480)).isNull();
    }
}
