package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The crop geometry shared by trainer and transfer-stream, on maps with known boxes. */
class PersonCropTest {

    /** A w×h class map with part id 13 in the rectangle (x, y, rw, rh). */
    static Mat map(int w, int h, int x, int y, int rw, int rh) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0));
        try (Rect r = new Rect(x, y, rw, rh); Mat roi = m.apply(r)) {
            roi.put(new Scalar(13));
        }
        return m;
    }

    @Test
    void offCentrePersonGetsASquareAroundItsBoxCentre() {
        try (Mat m = map(200, 100, 120, 30, 20, 40)) {
            PersonCrop c = PersonCrop.around(m).orElseThrow();
            // larger side 40, 10 % margin each side: 48, centred on (130, 50)
            assertThat(c).isEqualTo(new PersonCrop(106, 26, 48));
            try (Mat ids = c.cutIds(m, 48); UByteIndexer ix = ids.createIndexer()) {
                assertThat(countNonZero(ids)).isEqualTo(20 * 40);
                assertThat(ix.get(4, 14)).isEqualTo(13);
                assertThat(ix.get(3, 14)).isZero();
                assertThat(ix.get(4, 13)).isZero();
            }
        }
    }

    @Test
    void personAtTheFrameEdgeIsPaddedNotShifted() {
        try (Mat m = map(100, 100, 0, 0, 20, 60);
             Mat frame = new Mat(100, 100, opencv_core.CV_8UC3, new Scalar(50, 60, 70, 0))) {
            PersonCrop c = PersonCrop.around(m).orElseThrow();
            assertThat(c).isEqualTo(new PersonCrop(-26, -6, 72));
            try (Mat ids = c.cutIds(m, 72); Mat img = c.cutImage(frame, 72, new Scalar(1, 2, 3, 0));
                 UByteIndexer ii = ids.createIndexer(); UByteIndexer pi = img.createIndexer()) {
                // the person keeps its place inside the crop: it starts 26 px in, 6 px down
                assertThat(ii.get(6, 26)).isEqualTo(13);
                assertThat(ii.get(6, 25)).isZero();
                assertThat(ii.get(5, 26)).isZero();
                assertThat(countNonZero(ids)).isEqualTo(20 * 60);
                // outside the frame: the pad colour; inside: the frame
                assertThat(new int[] {pi.get(0, 0, 0), pi.get(0, 0, 1), pi.get(0, 0, 2)}).containsExactly(1, 2, 3);
                assertThat(new int[] {pi.get(10, 30, 0), pi.get(10, 30, 1), pi.get(10, 30, 2)}).containsExactly(50, 60, 70);
            }
        }
    }

    @Test
    void tallThinPersonBecomesASquareWithPaddingNeverStretched() {
        try (Mat m = map(300, 200, 190, 20, 20, 160);
             Mat frame = new Mat(200, 300, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0));
             Point centre = new Point(200, 100); Scalar white = new Scalar(255, 255, 255, 0)) {
            circle(frame, centre, 30, white, -1, 8, 0);
            PersonCrop c = PersonCrop.around(m).orElseThrow();
            assertThat(c).isEqualTo(new PersonCrop(104, 4, 192));
            try (Mat ids = c.cutIds(m, 64); Mat img = c.cutImage(frame, 64, new Scalar(0, 0, 0, 0));
                 Mat grey = new Mat()) {
                assertThat(ids.cols()).isEqualTo(64);
                assertThat(ids.rows()).isEqualTo(64);
                try (Rect person = boundingRect(ids)) {
                    // 20×160 scaled by 1/3: about 7×53, the 1:8 aspect kept, not widened to the square
                    assertThat((double) person.height() / person.width()).isCloseTo(8, within(1.0));
                    assertThat(person.height()).isCloseTo(53, within(1));
                }
                org.bytedeco.opencv.global.opencv_imgproc.cvtColor(img, grey,
                        org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
                org.bytedeco.opencv.global.opencv_imgproc.threshold(grey, grey, 127, 255,
                        org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY);
                try (Rect disc = boundingRect(grey)) {
                    // a circle stays a circle: radius 30 at 1/3 scale, as wide as tall
                    assertThat(disc.width()).isCloseTo(20, within(1));
                    assertThat(disc.height()).isEqualTo(disc.width());
                }
            }
        }
    }

    @Test
    void noPersonNoCrop() {
        try (Mat m = new Mat(40, 40, opencv_core.CV_8UC1, new Scalar(0))) {
            assertThat(PersonCrop.around(m)).isEmpty();
        }
    }

    @Test
    void sourcePlacementKeepsRelativePositionAndHeightFraction() {
        PersonCrop box = new PersonCrop(100, 50, 40);
        assertThat(SourcePlacement.place(box, 320, 240, 320, 240)).isEqualTo(box);
        // twice the size: centre (120, 70) → (240, 140), side 80
        assertThat(SourcePlacement.place(box, 320, 240, 640, 480)).isEqualTo(new PersonCrop(200, 100, 80));
        // a wider plate of the same height: the centre moves right, the person keeps its size
        assertThat(SourcePlacement.place(box, 320, 240, 640, 240)).isEqualTo(new PersonCrop(220, 50, 40));
    }
}
