package io.dancestream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;

import io.dancestream.common.io.SampleData;
import io.dancestream.segmentstream.pose.SegmentationResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own single-dancer video is the demo's normal case: one vtest.avi pedestrian's track
 * (the real segmenter's longest track), cut out of the street with a fixed FFmpeg crop window that
 * holds them for 180 frames, stands in for it. {@code dance demo --quick --target dancer.mp4} (the
 * cli jar in its own JVM; the source is then the video's own later frames) must train on one track
 * that covers most of the frames, publish a model with that video's background plate, and render
 * the person composited over that plate: away from the person the render is the plate.
 */
class OwnDancerDemoIT {

    private static final int CLIP_FRAMES = 180;   // --quick trains on the first 120, the source is the next 60
    private static final int MARGIN = 24;

    @Test
    void ownSingleDancerVideoTrainsOnePersonAndRendersThemOverItsPlate(@TempDir Path out) throws Exception {
        Path vtest = Path.of(SampleData.VTEST);
        Assumptions.assumeTrue(Files.isReadable(vtest), "needs opencv-doc's vtest.avi");

        // 1. the longest track of vtest's first frames, by the real segmenter, and a window that holds it
        Track track = longestTrack(vtest, 260);
        assertThat(track.frames()).as("the longest track of vtest's first 260 frames").isGreaterThanOrEqualTo(CLIP_FRAMES);
        int[] window = window(track.boxes().subList(0, CLIP_FRAMES), 768, 576);
        Path dancer = out.resolve("dancer.mp4");
        writeCrop(vtest, track.start(), CLIP_FRAMES, window, dancer);

        // 2. the demo's quick path with it as --target (the default source: its own frames 120-179)
        Path demoOut = out.resolve("out");
        String text = QuickDemo.run(out.resolve("demo.log"), "--target", dancer.toString(), "--out",
                demoOut.toString(), "--viewer-port", "0", "--metrics-base-port", "0");
        assertThat(text).doesNotContain("SIGSEGV").doesNotContain("remapper failed");

        // one track covers most of the 120 training frames
        Matcher person = Pattern.compile("target person: track target#(\\d+) \\((\\d+) pairs\\)").matcher(text);
        assertThat(person.find()).as(text).isTrue();
        assertThat(Integer.parseInt(person.group(2))).as("pairs of the trained track, of 120 frames").isGreaterThanOrEqualTo(96);
        assertThat(text).contains("frames 120-179").contains("the target imitates itself");

        // a model published with the plate of this video's scene, and its serving-path evaluation
        Path plateFile;
        try (Stream<Path> files = Files.walk(demoOut.resolve("models"))) {
            plateFile = files.filter(p -> p.getFileName().toString().equals("plate.png")).findFirst().orElse(null);
        }
        assertThat(plateFile).as("plate.png in the published model").isNotNull();
        assertThat(Files.readString(plateFile.resolveSibling("metrics.json"))).contains("serve_person_l1")
                .contains("baseline_nearest_person_ssim");
        assertThat(text).contains("Held-out evaluation on the serving path").contains("(c) nearest neighbour");
        assertThat(demoOut.resolve("demo-heldout-sheet.png")).exists();

        Matcher acc = Pattern.compile("(\\d+) source frames ingested = (\\d+) rendered \\+ (\\d+) dropped").matcher(text);
        assertThat(acc.find()).as(text).isTrue();
        assertThat(Long.parseLong(acc.group(1))).isEqualTo(60);
        assertThat(Long.parseLong(acc.group(2))).as("rendered source frames").isGreaterThanOrEqualTo(30);

        // 3. the render panel of the side-by-side video: the plate away from the person, a person on it
        try (Mat plate = imread(plateFile.toString())) {
            assertThat(plate.cols()).isEqualTo(window[2]);
            assertThat(plate.rows()).isEqualTo(window[3]);
            checkRenders(demoOut.resolve("demo-side-by-side.mp4"), plate);
        }
    }

    /** Renders are compared with the plate outside the source person's box (from the parts panel), dilated. */
    private static void checkRenders(Path mp4, Mat plate) throws Exception {
        int w = plate.cols() & ~1;
        int h = plate.rows() & ~1;
        byte[] plateBytes = bytes(plate, w, h);
        int checked = 0;
        int withPerson = 0;
        List<String> report = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(3 * w);
            for (Frame f; (f = g.grabImage()) != null; ) {
                Mat row = conv.convert(f).clone(); // FFmpeg pads rows; a clone is continuous
                byte[] all = new byte[(int) (row.total() * row.channels())];
                row.data().get(all);
                int stride = 3 * w * 3;
                // the parts panel: the source person's part pixels (background is white), as a box
                int x0 = w;
                int y0 = h;
                int x1 = -1;
                int y1 = -1;
                double sum1 = 0;
                double sum2 = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = y * stride + (w + x) * 3;
                        int sum = (all[p] & 0xff) + (all[p + 1] & 0xff) + (all[p + 2] & 0xff);
                        if (sum < 600) {
                            x0 = Math.min(x0, x);
                            y0 = Math.min(y0, y);
                            x1 = Math.max(x1, x);
                            y1 = Math.max(y1, y);
                        }
                        int r = y * stride + (2 * w + x) * 3;
                        int v = all[r + 1] & 0xff;
                        sum1 += v;
                        sum2 += (double) v * v;
                    }
                }
                double variance = sum2 / (w * h) - Math.pow(sum1 / (w * h), 2);
                if (x1 < 0 || variance < 4 || (x1 - x0 + 1) * (y1 - y0 + 1) > 0.8 * w * h) {
                    report.add(String.format("skipped: parts box %d,%d-%d,%d, render variance %.1f", x0, y0, x1, y1,
                            variance));
                    row.close();
                    continue; // no person in the source frame, or a grey "not rendered" / "not segmented" panel
                }
                // the person may be placed a little off the source's box: keep a generous margin around it
                int m = Math.max(12, (y1 - y0) / 4);
                x0 = Math.max(0, x0 - m);
                y0 = Math.max(0, y0 - m);
                x1 = Math.min(w - 1, x1 + m);
                y1 = Math.min(h - 1, y1 + m);
                long outside = 0;
                long outsideDiff = 0;
                long insideChanged = 0;
                long changed = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int r = y * stride + (2 * w + x) * 3;
                        int q = (y * w + x) * 3;
                        int d = 0;
                        for (int c = 0; c < 3; c++) {
                            d += Math.abs((all[r + c] & 0xff) - (plateBytes[q + c] & 0xff));
                        }
                        boolean in = x >= x0 && x <= x1 && y >= y0 && y <= y1;
                        changed += d > 60 ? 1 : 0;
                        if (in) {
                            insideChanged += d > 60 ? 1 : 0;
                        } else {
                            outside++;
                            outsideDiff += d;
                        }
                    }
                }
                double meanOutside = outsideDiff / (3.0 * Math.max(1, outside));
                report.add(String.format("frame %d: mean |render-plate| outside the person %.2f, changed pixels in "
                        + "the person's box %d, in the frame %d", checked, meanOutside, insideChanged, changed));
                assertThat(meanOutside).as("away from the person the render is the plate (mean abs diff per channel, "
                        + "JPEG + MPEG-4 noise); " + report).isLessThan(6.0);
                row.close();
                checked++;
                // pose normalization (the default placement) puts the person in the target's framing,
                // which over a stream's first frames need not be the source person's own box
                withPerson += changed >= 30 ? 1 : 0;
            }
        }
        assertThat(checked).as("rendered frames with a source person; " + report).isGreaterThanOrEqualTo(20);
        assertThat(withPerson).as("rendered frames where a person is composited over the plate; " + report)
                .isGreaterThanOrEqualTo(checked * 3 / 4);
    }

    private static byte[] bytes(Mat m, int w, int h) {
        try (Mat roi = m.apply(new Rect(0, 0, w, h)).clone()) {
            byte[] b = new byte[w * h * 3];
            roi.data().get(b);
            return b;
        }
    }

    record Track(String id, int start, List<int[]> boxes) {
        int frames() {
            return boxes.size();
        }
    }

    /** The longest track of the video's first {@code n} frames: its first frame and the person's box on each. */
    private static Track longestTrack(Path video, int n) throws Exception {
        Map<String, Track> tracks = new HashMap<>();
        try (Segmenter segmenter = Segmenter.create(SegmenterConfig.defaults());
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (int i = 0; i < n; i++) {
                Frame f = g.grabImage();
                if (f == null) {
                    break;
                }
                SegmentationResult r = segmenter.segment("vtest", i, conv.convert(f));
                try (Mat map = r.classMap(); Rect b = boundingRect(map)) {
                    if (r.hasPerson() && b.width() > 0) {
                        int seq = i;
                        tracks.computeIfAbsent(r.trackId(), id -> new Track(id, seq, new ArrayList<>()))
                                .boxes().add(new int[] {b.x(), b.y(), b.width(), b.height()});
                    }
                }
            }
        }
        return tracks.values().stream().max((a, b) -> Integer.compare(a.frames(), b.frames())).orElseThrow();
    }

    /** x, y, width, height (even) of the union of the boxes plus a margin, inside the frame. */
    private static int[] window(List<int[]> boxes, int frameW, int frameH) {
        int x0 = frameW;
        int y0 = frameH;
        int x1 = 0;
        int y1 = 0;
        for (int[] b : boxes) {
            x0 = Math.min(x0, b[0]);
            y0 = Math.min(y0, b[1]);
            x1 = Math.max(x1, b[0] + b[2]);
            y1 = Math.max(y1, b[1] + b[3]);
        }
        x0 = Math.max(0, x0 - MARGIN);
        y0 = Math.max(0, y0 - MARGIN);
        x1 = Math.min(frameW, x1 + MARGIN);
        y1 = Math.min(frameH, y1 + MARGIN);
        return new int[] {x0, y0, (x1 - x0) & ~1, (y1 - y0) & ~1};
    }

    /** Frames [start, start+n) of the video cropped to the window, as MPEG-4 at the video's 10 fps. */
    private static void writeCrop(Path video, int start, int n, int[] window, Path mp4) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             OpenCVFrameConverter.ToMat out = new OpenCVFrameConverter.ToMat();
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(mp4.toFile(), window[2], window[3], 0)) {
            g.start();
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_MPEG4);
            rec.setVideoQuality(2);
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(g.getFrameRate() > 0 ? g.getFrameRate() : 10);
            rec.start();
            for (int i = 0; i < start + n; i++) {
                Frame f = g.grabImage();
                assertThat(f).as("frame " + i + " of " + video).isNotNull();
                if (i >= start) {
                    try (Rect r = new Rect(window[0], window[1], window[2], window[3]);
                         Mat crop = conv.convert(f).apply(r).clone()) {
                        rec.record(out.convert(crop), AV_PIX_FMT_BGR24);
                    }
                }
            }
            rec.stop();
        }
    }
}
