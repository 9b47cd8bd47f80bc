package io.dancestream.segmentstream.command;

import io.dancestream.segmentstream.options.SegmenterOptions;
import io.dancestream.segmentstream.parts.PartOverlay;
import io.dancestream.segmentstream.pose.SegmentationResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dance segment IMAGE|VIDEO --out DIR}: segments files (no Kafka) and writes, per image
 * or video frame, an overlay PNG (part colours + skeleton) and the coloured part map, for people
 * to look at.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment images or a video into BodyPix parts; writes overlay PNGs to --out.")
public final class SegmentCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "IMAGE|VIDEO", description = "image files (JPEG/PNG) or one video (anything FFmpeg reads)")
    Path[] inputs;

    @Option(names = "--out", description = "output directory (required)")
    Path out;

    @Option(names = "--max-frames", defaultValue = "0", description = "video: stop after N frames (0 = all)")
    int maxFrames;

    @Option(names = "--every", defaultValue = "1", description = "video: write every Nth frame's overlay (default ${DEFAULT-VALUE})")
    int every;

    @picocli.CommandLine.Mixin
    SegmenterOptions segmenterOptions = new SegmenterOptions();

    @Override
    public Integer call() throws Exception {
        // checked here, not by picocli, so that `dance segment bench` needs neither
        if (inputs == null || inputs.length == 0 || out == null) {
            throw new IllegalArgumentException("give IMAGE|VIDEO files and --out DIR (see dance segment --help)");
        }
        Files.createDirectories(out);
        SegmenterConfig cfg = segmenterOptions.config();
        try (Segmenter segmenter = Segmenter.create(cfg)) {
            for (Path in : inputs) {
                if (!Files.isRegularFile(in)) {
                    throw new IllegalArgumentException("input " + in + " does not exist");
                }
                Mat img = opencv_imgcodecs.imread(in.toString());
                if (img != null && !img.empty()) {
                    SegmentationResult r = segmenter.segment(in.toString(), img);
                    String stem = stem(in);
                    write(img, r, stem);
                    System.out.printf("%s: %s, score %.3f, %d person px -> %s%n", in, r.hasPerson() ? "person" : "no person",
                            r.personScore(), org.bytedeco.opencv.global.opencv_core.countNonZero(r.classMap()),
                            out.resolve(stem + "-overlay.png"));
                    r.classMap().close();
                } else {
                    segmentVideo(segmenter, in);
                }
            }
        }
        return 0;
    }

    private void segmentVideo(Segmenter segmenter, Path in) throws FrameGrabber.Exception {
        FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        String stem = stem(in);
        long frames = 0;
        long withPerson = 0;
        long t0 = System.nanoTime();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            try {
                g.start();
            } catch (FrameGrabber.Exception e) {
                throw new IllegalArgumentException(in + " is neither an image nor a video FFmpeg can read: " + e.getMessage(), e);
            }
            for (Frame f; (maxFrames <= 0 || frames < maxFrames) && (f = g.grabImage()) != null; ) {
                Mat m = conv.convert(f);
                SegmentationResult r = segmenter.segment(in.toString(), m);
                withPerson += r.hasPerson() ? 1 : 0;
                if (frames % Math.max(1, every) == 0) {
                    write(m, r, String.format("%s-%05d", stem, frames));
                }
                r.classMap().close();
                frames++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d frames, person in %d, detector ran %d times, %.1f frames/s -> %s%n", in, frames, withPerson,
                segmenter.detectorRuns(), frames / s, out);
    }

    private void write(Mat img, SegmentationResult r, String stem) {
        try (Mat parts = PartOverlay.colorize(r.classMap());
             Mat overlay = PartOverlay.render(img, r.classMap(), parts, r.landmarks())) {
            opencv_imgcodecs.imwrite(out.resolve(stem + "-overlay.png").toString(), overlay);
            opencv_imgcodecs.imwrite(out.resolve(stem + "-parts.png").toString(), parts);
        }
    }

    private static String stem(Path p) {
        return p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    }
}
