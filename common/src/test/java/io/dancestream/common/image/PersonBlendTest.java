package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The rendered crop over the plate: person pixels from the render, everything else the plate. */
class PersonBlendTest {

    private static int[] bgr(UByteIndexer ix, int row, int col) {
        return new int[] {ix.get(row, col, 0), ix.get(row, col, 1), ix.get(row, col, 2)};
    }

    @Test
    void personFromTheRenderBackgroundFromThePlateFeatheredEdge() {
        try (Mat frame = new Mat(80, 100, opencv_core.CV_8UC3, new Scalar(10, 20, 30, 0));
             Mat rendered = new Mat(32, 32, opencv_core.CV_8UC3, new Scalar(200, 100, 50, 0));
             Mat ids = PersonCropTest.map(40, 40, 10, 10, 20, 20)) {
            PersonCrop box = new PersonCrop(20, 10, 40);
            PersonBlend.blend(frame, rendered, ids, box, PersonBlend.FEATHER_PX);
            try (UByteIndexer ix = frame.createIndexer()) {
                assertThat(bgr(ix, 30, 40)).as("person centre").containsExactly(200, 100, 50);
                assertThat(bgr(ix, 5, 5)).as("outside the box").containsExactly(10, 20, 30);
                // inside the box but 8 px from the person: the render's background must not show
                assertThat(bgr(ix, 12, 22)).as("box background").containsExactly(10, 20, 30);
                // on the person's edge (box x 10 → frame x 30): between plate and render
                int edge = ix.get(30, 30, 0);
                assertThat(edge).isStrictlyBetween(10, 200);
                assertThat(ix.get(30, 27, 0)).as("3 px outside the edge").isEqualTo(10);
            }
        }
    }

    @Test
    void boxReachingOutOfTheFrameBlendsOnlyTheInsidePart() {
        try (Mat frame = new Mat(50, 50, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0));
             Mat rendered = new Mat(16, 16, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0));
             Mat ids = new Mat(40, 40, opencv_core.CV_8UC1, new Scalar(5))) {
            PersonBlend.blend(frame, rendered, ids, new PersonCrop(-10, -10, 40), 0);
            try (UByteIndexer ix = frame.createIndexer()) {
                assertThat(bgr(ix, 0, 0)).containsExactly(255, 255, 255);
                assertThat(bgr(ix, 29, 29)).containsExactly(255, 255, 255);
                assertThat(bgr(ix, 30, 30)).containsExactly(0, 0, 0);
            }
        }
    }
}
