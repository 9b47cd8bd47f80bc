package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class CropReprojectionTest {

    /** A frame point seen in both crops lands on the pixel that shows it in the new crop. */
    @Test
    void aFramePointKeepsItsPlaceInTheFrameWhenTheCropMovesAndScales() {
        int size = 32;
        PersonCrop from = new PersonCrop(100, 50, 64);  // 2 frame px per crop px
        PersonCrop to = new PersonCrop(116, 58, 128);   // 4 frame px per crop px
        try (Mat prev = new Mat(size, size, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            // frame point (140, 90) is crop pixel (20, 20) of `from` and (6, 8) of `to`
            UByteIndexer ix = prev.createIndexer();
            for (int c = 0; c < 3; c++) {
                ix.put(20, 20, c, 200);
                ix.put(20, 21, c, 200);
                ix.put(21, 20, c, 200);
                ix.put(21, 21, c, 200);
            }
            ix.close();
            try (Mat moved = CropReprojection.apply(prev, from, to); UByteIndexer out = moved.createIndexer()) {
                assertThat(moved.cols()).isEqualTo(size);
                // the 2x2 block of `from` (frame x 140..144, y 90..94) is about one pixel of `to`: (x 6, y 8)
                assertThat(out.get(8, 6, 0)).isGreaterThan(120);
                assertThat(out.get(20, 20, 0)).isZero();
                // `to` reaches left of `from`: nothing rendered there, black
                assertThat(out.get(31, 31, 0)).isZero();
            }
        }
    }

    @Test
    void theSameCropIsUnchanged() {
        PersonCrop c = new PersonCrop(10, 20, 40);
        try (Mat prev = new Mat(16, 16, opencv_core.CV_8UC3, new Scalar(10, 20, 30, 0));
             Mat moved = CropReprojection.apply(prev, c, c); Mat d = new Mat()) {
            opencv_core.absdiff(prev, moved, d);
            assertThat(opencv_core.countNonZero(d.reshape(1, 0))).isZero();
        }
    }

    @Test
    void theAxisMapsPixelCentres() {
        // the same edge, twice the side: destination pixel 0's centre (0.5 of 2 px) is source 0.25 -> index -0.25
        CropReprojection.Axis a = CropReprojection.axis(0, 32, 0, 64, 32);
        assertThat(a.scale()).isEqualTo(2.0);
        assertThat(a.offset()).isEqualTo(0.5);
        // index u of the destination shows the frame at (u + 0.5) * 2; source index = that - 0.5
        assertThat(a.scale() * 3 + a.offset()).isEqualTo(6.5);
    }
}
