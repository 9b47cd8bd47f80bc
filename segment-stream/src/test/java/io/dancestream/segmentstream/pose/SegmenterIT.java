package io.dancestream.segmentstream.pose;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Landmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Acceptance of the Segmenter on OpenCV's sample pictures and video (Debian opencv-doc). */
class SegmenterIT {

    static final String DATA = "/usr/share/doc/opencv-doc/examples/data/";
    private static Segmenter segmenter;

    @BeforeAll
    static void load() {
        segmenter = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false));
    }

    @AfterAll
    static void close() {
        segmenter.close();
    }

    @Test
    void messiIsSegmentedIntoOrderedParts() {
        Mat img = opencv_imgcodecs.imread(DATA + "messi5.jpg");
        SegmentationResult r = segmenter.segment("messi", img);
        assertPerson(r, img);
        // Messi faces the camera: his left shoulder is on the image's right, torso front shows
        assertThat(r.landmarks().get(11).getX()).isGreaterThan(r.landmarks().get(12).getX());
        PartStats s = PartStats.of(r.classMap());
        assertThat(s.count[BodyPart.TORSO_FRONT.id()]).isGreaterThan(1000);
        assertThat(s.count[BodyPart.TORSO_BACK.id()]).isZero();
        assertThat(s.leftCentroidX()).as("left parts on the image right").isGreaterThan(s.rightCentroidX());
    }

    @Test
    void idleStreamStateIsDroppedAndTheStreamReacquired() {
        AtomicLong nanos = new AtomicLong();
        Mat img = opencv_imgcodecs.imread(DATA + "messi5.jpg");
        try (Segmenter s = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false), nanos::get)) {
            s.segment("a", img);
            s.segment("b", img);
            long detections = s.detectorRuns();
            nanos.addAndGet(Segmenter.STREAM_IDLE.toNanos() / 2);
            assertThat(s.segment("a", img).hasPerson()).isTrue();
            assertThat(s.detectorRuns()).as("stream a still tracked").isEqualTo(detections);
            assertThat(s.trackedStreams()).isEqualTo(2);

            nanos.addAndGet(Segmenter.STREAM_IDLE.toNanos() / 2 + 1);
            assertThat(s.trackedStreams()).as("b idle past STREAM_IDLE, a not").isEqualTo(1);
            assertThat(s.segment("b", img).hasPerson()).isTrue();
            assertThat(s.detectorRuns()).as("b starts again with the detector").isEqualTo(detections + 1);
        }
    }

    @Test
    void aFrameWithNobodyRunsAFewTilesAndTheNextOneContinues() {
        Mat empty = new Mat(480, 640, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
        Mat img = opencv_imgcodecs.imread(DATA + "messi5.jpg");
        try (Segmenter spread = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false).withDetectorTiles(3));
             Segmenter whole = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false).withDetectorTiles(0))) {
            for (int i = 0; i < 5; i++) {
                assertThat(spread.segment("empty", empty).hasPerson()).isFalse();
                assertThat(whole.segment("empty", empty).hasPerson()).isFalse();
            }
            // 640x480 has 12 tiles: all of them on every empty frame, or all on the first and then
            // 3 per frame, round and round
            assertThat(whole.tileRuns()).isEqualTo(5 * 12);
            assertThat(spread.tileRuns()).isEqualTo(12 + 4 * 3);
            assertThat(spread.detectorRuns()).isEqualTo(whole.detectorRuns()).isEqualTo(5);
            // a person the whole-frame pass finds is acquired on that same frame either way
            assertThat(spread.segment("empty", img).hasPerson()).isTrue();
            assertThat(spread.tileRuns()).isEqualTo(12 + 4 * 3);
            // once a person was there, the next empty frame tries the tile where they were, then
            // the other 11
            assertThat(spread.segment("empty", empty).hasPerson()).isFalse();
            assertThat(spread.tileRuns()).isEqualTo(2 * 12 + 4 * 3);
        }
    }

    @Test
    void aLiveFrameDoesNotWaitForTheTileSearchAndTheNextFrameUsesIt() throws Exception {
        // vtest's first frame: its pedestrians are too small for the whole-frame detector, only the
        // tiles find them (inline, on that same frame: videoPersonIsTrackedAndReacquired)
        List<Mat> frames = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(DATA + "vtest.avi");
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (int i = 0; i < 2; i++) {
                frames.add(conv.convert(g.grabImage()).clone());
            }
        }
        int tiles = PoseDetector.tileCount(frames.get(0).cols(), frames.get(0).rows());
        try (Segmenter s = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false))) {
            SegmentationResult first = s.segment("live", 0, frames.get(0), Segmenter.Search.BACKGROUND);
            assertThat(first.hasPerson()).as("the frame went on without the search").isFalse();
            assertThat(first.trackId()).isEmpty();
            assertThat(s.tileRuns()).as("the whole search started for it").isEqualTo(tiles);
            for (int waited = 0; s.searching("live"); waited += 10) {
                assertThat(waited).as("search still running after 60 s").isLessThan(60_000);
                Thread.sleep(10);
            }
            SegmentationResult next = s.segment("live", 1, frames.get(1), Segmenter.Search.BACKGROUND);
            assertThat(next.hasPerson()).as("the search's detections, tried on the next frame").isTrue();
            assertThat(next.trackId()).isEqualTo("live#1");
            assertThat(s.tileRuns()).as("no second search").isEqualTo(tiles);
            assertThat(s.segment("live", 2, frames.get(1), Segmenter.Search.BACKGROUND).hasPerson()).isTrue();
            assertThat(s.detectorRuns()).as("tracked from then on").isEqualTo(2);
        } finally {
            frames.forEach(Mat::close);
        }
    }

    @Test
    void basketballPlayerIsSegmentedIntoOrderedParts() {
        Mat img = opencv_imgcodecs.imread(DATA + "basketball1.png");
        SegmentationResult r = segmenter.segment("basketball", img);
        assertPerson(r, img);
    }

    /** High score, a mask that covers the skeleton and little else, parts in anatomical order. */
    private static void assertPerson(SegmentationResult r, Mat img) {
        assertThat(r.personScore()).isGreaterThan(0.9f);
        assertThat(r.landmarks()).hasSize(33);
        assertThat(r.classMap().rows()).isEqualTo(img.rows());
        assertThat(r.classMap().cols()).isEqualTo(img.cols());
        PartStats s = PartStats.of(r.classMap());
        List<Landmark> lm = r.landmarks();
        // coverage: points along visible bones lie on the mask
        int[][] bones = {{11, 12}, {11, 23}, {12, 24}, {23, 24}, {11, 13}, {12, 14}, {13, 15}, {14, 16}, {23, 25}, {24, 26},
            {25, 27}, {26, 28}};
        int on = 0;
        int total = 0;
        try (UByteIndexer idx = r.classMap().createIndexer()) {
            for (int[] b : bones) {
                Landmark a = lm.get(b[0]);
                Landmark c = lm.get(b[1]);
                if (a.getVisibility() < 0.8f || c.getVisibility() < 0.8f) {
                    continue;
                }
                for (double t = 0.1; t <= 0.9; t += 0.1) {
                    int x = (int) Math.round(a.getX() + t * (c.getX() - a.getX()));
                    int y = (int) Math.round(a.getY() + t * (c.getY() - a.getY()));
                    if (x >= 0 && y >= 0 && x < img.cols() && y < img.rows()) {
                        total++;
                        on += idx.get(y, x) != 0 ? 1 : 0;
                    }
                }
            }
        }
        System.out.printf("bone points on mask %d/%d; person px %d; outside landmark box %.4f%n", on, total, s.person,
                s.fractionOutside(lm, 0.15));
        assertThat(total).isGreaterThan(20);
        assertThat(on / (double) total).as("bone points on the mask").isGreaterThanOrEqualTo(0.9);
        assertThat(s.fractionOutside(lm, 0.15)).as("mask pixels away from the body").isLessThanOrEqualTo(0.03);
        // anatomical order, top to bottom: head parts above torso above legs
        double face = s.meanY(BodyPart.LEFT_FACE, BodyPart.RIGHT_FACE);
        double torso = s.meanY(BodyPart.TORSO_FRONT, BodyPart.TORSO_BACK);
        assertThat(face).isLessThan(torso);
        if (s.count(BodyPart.LEFT_UPPER_LEG_FRONT, BodyPart.LEFT_UPPER_LEG_BACK, BodyPart.RIGHT_UPPER_LEG_FRONT,
                BodyPart.RIGHT_UPPER_LEG_BACK) > 200) {
            assertThat(torso).isLessThan(s.meanY(BodyPart.LEFT_UPPER_LEG_FRONT, BodyPart.LEFT_UPPER_LEG_BACK,
                    BodyPart.RIGHT_UPPER_LEG_FRONT, BodyPart.RIGHT_UPPER_LEG_BACK));
        }
        // left parts on the person's left: the side of the left shoulder and hip
        double sideX = lm.get(11).getX() - lm.get(12).getX() + lm.get(23).getX() - lm.get(24).getX();
        double sideY = lm.get(11).getY() - lm.get(12).getY() + lm.get(23).getY() - lm.get(24).getY();
        double dx = s.leftCentroidX() - s.rightCentroidX();
        double dy = s.leftCentroidY() - s.rightCentroidY();
        assertThat(dx * sideX + dy * sideY).as("left parts toward the left shoulder/hip").isPositive();
    }

    @Test
    void mirroredImageGivesMirroredPartMap() {
        Mat img = opencv_imgcodecs.imread(DATA + "messi5.jpg");
        Mat flipped = new Mat();
        opencv_core.flip(img, flipped, 1);
        SegmentationResult a = segmenter.segment("flip-a", img);
        SegmentationResult b = segmenter.segment("flip-b", flipped);
        Mat back = PartSchema.mirror(b.classMap());
        int union = 0;
        int inter = 0;
        int same = 0;
        try (UByteIndexer ia = a.classMap().createIndexer(); UByteIndexer ib = back.createIndexer()) {
            for (int y = 0; y < img.rows(); y++) {
                for (int x = 0; x < img.cols(); x++) {
                    int p = ia.get(y, x);
                    int q = ib.get(y, x);
                    union += p != 0 || q != 0 ? 1 : 0;
                    if (p != 0 && q != 0) {
                        inter++;
                        same += p == q ? 1 : 0;
                    }
                }
            }
        }
        PartStats sa = PartStats.of(a.classMap());
        PartStats sb = PartStats.of(back);
        double height = sa.maxY - sa.minY;
        double worst = 0;
        for (int id = 1; id < BodyPart.COUNT; id++) {
            if (sa.count[id] > 300 && sb.count[id] > 300) {
                worst = Math.max(worst, Math.hypot(sa.sumX[id] / sa.count[id] - sb.sumX[id] / sb.count[id],
                        sa.sumY[id] / sa.count[id] - sb.sumY[id] / sb.count[id]) / height);
            }
        }
        System.out.printf("flip: person IoU %.3f, same part on overlap %.3f, worst part centroid shift %.3f of height%n",
                inter / (double) union, same / (double) inter, worst);
        assertThat(inter / (double) union).as("person mask IoU").isGreaterThan(0.92);
        assertThat(same / (double) inter).as("same part id on the overlap").isGreaterThan(0.85);
        assertThat(worst).as("part centroid shift / person height").isLessThan(0.05);
    }

    @Test
    void emptySceneIsNoPersonNotAnError() {
        Mat gray = new Mat(240, 320, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
        SegmentationResult r = segmenter.segment("empty", gray);
        assertThat(r.hasPerson()).isFalse();
        assertThat(r.personScore()).isZero();
        assertThat(opencv_core.countNonZero(r.classMap())).isZero();
        assertThat(r.classMap().cols()).isEqualTo(320);
    }

    @Test
    void videoPersonIsTrackedAndReacquired() throws Exception {
        List<SegmentationResult> results = new ArrayList<>();
        List<Boolean> detected = new ArrayList<>();
        Mat grayFrame = null;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(DATA + "vtest.avi");
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (int i = 0; i < 60; i++) {
                Frame f = g.grabImage();
                Mat m = conv.convert(f);
                if (grayFrame == null) {
                    grayFrame = new Mat(m.rows(), m.cols(), m.type(), new Scalar(128, 128, 128, 0));
                }
                // frames 40..44: the scene is empty (camera covered), then the video resumes
                Mat input = i >= 40 && i < 45 ? grayFrame : m;
                long before = segmenter.detectorRuns();
                results.add(segmenter.segment("vtest", i, input));
                detected.add(segmenter.detectorRuns() > before);
            }
        }
        segmenter.forget("vtest");
        assertThat(results.get(0).hasPerson()).as("person found on the first frame").isTrue();
        // tracked: consecutive frames with a person mostly skip the detector, and the hip moves smoothly
        int tracked = 0;
        for (int i = 1; i < 40; i++) {
            SegmentationResult prev = results.get(i - 1);
            SegmentationResult cur = results.get(i);
            if (prev.hasPerson() && cur.hasPerson() && !detected.get(i)) {
                tracked++;
                Landmark a = prev.landmarks().get(23);
                Landmark b = cur.landmarks().get(23);
                assertThat(Math.hypot(a.getX() - b.getX(), a.getY() - b.getY())).as("hip step at frame " + i).isLessThan(25);
            }
        }
        System.out.printf("vtest: %d of 39 frame pairs tracked without the detector; detector ran on %d of 60 frames%n",
                tracked, detected.stream().filter(d -> d).count());
        assertThat(tracked).isGreaterThanOrEqualTo(30);
        for (int i = 40; i < 45; i++) {
            assertThat(results.get(i).hasPerson()).as("empty frame " + i).isFalse();
        }
        // re-acquired: the detector runs again after the person is gone and finds someone
        int back = -1;
        for (int i = 45; i < 60 && back < 0; i++) {
            if (results.get(i).hasPerson()) {
                back = i;
            }
        }
        assertThat(back).as("re-acquired after the empty frames").isEqualTo(45);
        assertThat(detected.get(45)).isTrue();
        assertThat(results.get(59).hasPerson()).isTrue();
        // track ids: a new one exactly where the detector acquired, kept while tracking, none without a person
        assertThat(results.get(0).trackId()).isEqualTo("vtest#0");
        String current = null;
        for (int i = 0; i < 60; i++) {
            SegmentationResult r = results.get(i);
            if (!r.hasPerson()) {
                assertThat(r.trackId()).as("frame " + i).isEmpty();
                current = null;
            } else if (detected.get(i)) {
                assertThat(r.trackId()).as("frame " + i).isEqualTo("vtest#" + i).isNotEqualTo(current);
                current = r.trackId();
            } else {
                assertThat(r.trackId()).as("frame " + i).isEqualTo(current);
            }
        }
        assertThat(results.get(45).trackId()).isEqualTo("vtest#45");
        assertThat(results.get(39).trackId()).isNotEqualTo(results.get(45).trackId());
    }

    /** Pixel statistics of a class map. */
    static final class PartStats {
        final long[] count = new long[256];
        final double[] sumX = new double[256];
        final double[] sumY = new double[256];
        final List<int[]> pixels = new ArrayList<>();
        long person;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;

        static PartStats of(Mat map) {
            PartStats s = new PartStats();
            try (UByteIndexer idx = map.createIndexer()) {
                for (int y = 0; y < map.rows(); y++) {
                    for (int x = 0; x < map.cols(); x++) {
                        int id = idx.get(y, x);
                        s.count[id]++;
                        s.sumX[id] += x;
                        s.sumY[id] += y;
                        if (id != 0) {
                            s.person++;
                            s.pixels.add(new int[] {x, y});
                            s.minY = Math.min(s.minY, y);
                            s.maxY = Math.max(s.maxY, y);
                        }
                    }
                }
            }
            return s;
        }

        long count(BodyPart... parts) {
            long n = 0;
            for (BodyPart p : parts) {
                n += count[p.id()];
            }
            return n;
        }

        double meanY(BodyPart... parts) {
            double sum = 0;
            for (BodyPart p : parts) {
                sum += sumY[p.id()];
            }
            return sum / count(parts);
        }

        private double centroid(boolean left, boolean xAxis) {
            double sum = 0;
            long n = 0;
            for (BodyPart p : BodyPart.values()) {
                if (left ? p.isLeft() : p.isRight()) {
                    sum += xAxis ? sumX[p.id()] : sumY[p.id()];
                    n += count[p.id()];
                }
            }
            return sum / n;
        }

        double leftCentroidX() { return centroid(true, true); }
        double rightCentroidX() { return centroid(false, true); }
        double leftCentroidY() { return centroid(true, false); }
        double rightCentroidY() { return centroid(false, false); }

        /** Fraction of person pixels outside the landmarks' box grown by {@code margin} × its height. */
        double fractionOutside(List<Landmark> lm, double margin) {
            double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
            for (Landmark l : lm) {
                x0 = Math.min(x0, l.getX());
                y0 = Math.min(y0, l.getY());
                x1 = Math.max(x1, l.getX());
                y1 = Math.max(y1, l.getY());
            }
            double m = margin * (y1 - y0);
            long out = 0;
            for (int[] p : pixels) {
                if (p[0] < x0 - m || p[0] > x1 + m || p[1] < y0 - m || p[1] > y1 + m) {
                    out++;
                }
            }
            return out / (double) Math.max(1, person);
        }
    }
}
