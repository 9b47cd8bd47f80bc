package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.trainer.VtestPairs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plate from real frames of vtest.avi (static camera, pedestrians): where a pedestrian walks
 * the plate shows the pavement, not the pedestrian; where every frame hides the ground it is
 * inpainted from around, not filled with what covered it.
 */
class BackgroundPlateTest {

    private static final int FRAMES = 120;
    private static final int WIDTH = 384;
    private static List<byte[]> frames;
    private static List<byte[]> maps;
    private static int w;
    private static int h;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(VtestPairs.available(), "opencv-doc's vtest.avi is not installed");
        List<TrainingPair> pairs = VtestPairs.load("plate", FRAMES, WIDTH);
        frames = new ArrayList<>();
        maps = new ArrayList<>();
        for (TrainingPair p : pairs) {
            try (Mat f = ImageCodec.decodeColor(p.getFrameJpeg().toByteArray());
                 Mat m = ImageCodec.decodeUnchanged(p.getClassMap().toByteArray())) {
                w = f.cols();
                h = f.rows();
                frames.add(bytes(f, w * h * 3));
                maps.add(bytes(m, w * h));
            }
        }
    }

    private static byte[] bytes(Mat m, int n) {
        byte[] b = new byte[n];
        m.data().get(b);
        return b;
    }

    private static Mat mat(byte[] b, int type) {
        Mat m = new Mat(h, w, type);
        m.data().put(b);
        return m;
    }

    private static byte[] plate(BackgroundPlate builder) {
        try (Mat plate = builder.build()) {
            assertThat(plate.cols()).isEqualTo(w);
            assertThat(plate.rows()).isEqualTo(h);
            return bytes(plate, w * h * 3);
        }
    }

    /** Mean absolute difference of two BGR images over the pixels where {@code where} is true. */
    private static double meanDiff(byte[] a, byte[] b, boolean[] where) {
        long sum = 0;
        long n = 0;
        for (int p = 0; p < where.length; p++) {
            if (where[p]) {
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs((a[p * 3 + c] & 0xff) - (b[p * 3 + c] & 0xff));
                }
                n += 3;
            }
        }
        return (double) sum / n;
    }

    @Test
    void pedestriansAreGoneWhereTheyWalk() throws Exception {
        BackgroundPlate builder = new BackgroundPlate();
        for (int i = 0; i < frames.size(); i++) {
            try (Mat f = mat(frames.get(i), org.bytedeco.opencv.global.opencv_core.CV_8UC3);
                 Mat m = mat(maps.get(i), org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
                builder.add(f, m);
            }
        }
        assertThat(builder.frames()).isLessThanOrEqualTo(BackgroundPlate.MAX_FRAMES).isGreaterThan(BackgroundPlate.MAX_FRAMES / 2);
        byte[] plate = plate(builder);
        try (Mat m = mat(plate, org.bytedeco.opencv.global.opencv_core.CV_8UC3)) {
            Files.createDirectories(Path.of("target"));
            imwrite("target/plate-vtest.png", m);
        }
        // pedestrians (blobs of frame k's map) and a frame j where nobody is at that place
        int checked = 0;
        for (int k = 10; k < frames.size() && checked < 4; k += 20) {
            try (Mat m = mat(maps.get(k), org.bytedeco.opencv.global.opencv_core.CV_8UC1); Mat labels = new Mat();
                 Mat stats = new Mat(); Mat centroids = new Mat()) {
                int n = connectedComponentsWithStats(m, labels, stats, centroids);
                int[] lab = new int[w * h];
                new org.bytedeco.javacpp.IntPointer(labels.data()).get(lab);
                try (IntIndexer st = stats.createIndexer()) {
                    for (int l = 1; l < n && checked < 4; l++) {
                        if (st.get(l, 4) < 300) {
                            continue;
                        }
                        int x0 = st.get(l, 0);
                        int y0 = st.get(l, 1);
                        int j = emptyFrameAt(x0 - 10, y0 - 10, x0 + st.get(l, 2) + 10, y0 + st.get(l, 3) + 10);
                        if (j < 0) {
                            continue;
                        }
                        boolean[] person = new boolean[w * h];
                        for (int p = 0; p < w * h; p++) {
                            person[p] = lab[p] == l;
                        }
                        double toPedestrianFrame = meanDiff(plate, frames.get(k), person);
                        double toEmptyFrame = meanDiff(plate, frames.get(j), person);
                        System.out.printf("PLATE frame %d: pedestrian of %d px at (%d,%d); plate vs that frame %.1f,"
                                + " vs frame %d (nobody there) %.1f%n", k, st.get(l, 4), x0, y0, toPedestrianFrame, j,
                                toEmptyFrame);
                        assertThat(toPedestrianFrame).as("plate at frame %d's pedestrian", k).isGreaterThan(20);
                        assertThat(toEmptyFrame).as("plate vs frame %d with nobody there", j).isLessThan(8);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("frames with a pedestrian and a frame without one at that place").isGreaterThanOrEqualTo(2);
    }

    /** A frame with no foreground in the box, or -1. */
    private static int emptyFrameAt(int x0, int y0, int x1, int y1) {
        for (int j = 0; j < frames.size(); j++) {
            boolean empty = true;
            for (int y = Math.max(0, y0); y <= Math.min(h - 1, y1) && empty; y++) {
                for (int x = Math.max(0, x0); x <= Math.min(w - 1, x1); x++) {
                    if (maps.get(j)[y * w + x] != 0) {
                        empty = false;
                        break;
                    }
                }
            }
            if (empty) {
                return j;
            }
        }
        return -1;
    }

    @Test
    void groundNoFrameShowsIsInpaintedNotFilledWithThePerson() {
        BackgroundPlate clean = new BackgroundPlate();
        BackgroundPlate covered = new BackgroundPlate();
        int rx = 150;
        int ry = 120;
        int rw = 30;
        int rh = 60;
        for (int i = 0; i < frames.size(); i++) {
            try (Mat f = mat(frames.get(i), org.bytedeco.opencv.global.opencv_core.CV_8UC3);
                 Mat m = mat(maps.get(i), org.bytedeco.opencv.global.opencv_core.CV_8UC1);
                 Mat red = f.clone(); Mat redMap = m.clone(); Rect r = new Rect(rx, ry, rw, rh);
                 Mat fr = red.apply(r); Mat mr = redMap.apply(r)) {
                clean.add(f, m);
                // a person in red standing on one spot in every frame
                fr.put(new Scalar(0, 0, 255, 0));
                mr.put(new Scalar(13));
                covered.add(red, redMap);
            }
        }
        byte[] plate = plate(covered);
        byte[] reference = plate(clean);
        try (Mat m = mat(plate, org.bytedeco.opencv.global.opencv_core.CV_8UC3)) {
            imwrite("target/plate-vtest-inpainted.png", m);
        }
        boolean[] inRect = new boolean[w * h];
        long red = 0;
        for (int y = ry; y < ry + rh; y++) {
            for (int x = rx; x < rx + rw; x++) {
                inRect[y * w + x] = true;
                int p = (y * w + x) * 3;
                red += (plate[p + 2] & 0xff) - Math.max(plate[p] & 0xff, plate[p + 1] & 0xff);
            }
        }
        double redness = (double) red / (rw * rh);
        double toClean = meanDiff(plate, reference, inRect);
        System.out.printf("PLATE inpainted: redness %.1f, vs the plate without the standing person %.1f%n", redness, toClean);
        assertThat(redness).as("red minus max(blue, green)").isLessThan(30);
        assertThat(toClean).isLessThan(30);
    }
}
