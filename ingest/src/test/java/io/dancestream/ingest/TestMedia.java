package io.dancestream.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.BodyPart;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;

/** Real media for tests: OpenCV's sample video, and small files and folders made here with FFmpeg/OpenCV. */
public final class TestMedia {

    /** Debian opencv-doc: 768x576, 10 fps, 795 frames. */
    public static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    private TestMedia() {
    }

    /** A frame whose colour encodes its index (blue = 10·i), with the index drawn as a bar. */
    static Mat numberedFrame(int i, int w, int h) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(10.0 * i % 256, 80, 160, 0));
        opencv_imgproc.rectangle(m, new Rect(0, 0, Math.min(w, 8 * (i + 1)), h / 4), new Scalar(255, 255, 255, 0),
                opencv_imgproc.FILLED, opencv_imgproc.LINE_8, 0);
        return m;
    }

    /** An MPEG-4 video of {@code frames} numbered frames. */
    static Path video(Path dir, String name, int frames, int w, int h, double fps) throws Exception {
        Path out = dir.resolve(name);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            r.setFormat("mp4");
            r.setVideoCodec(AV_CODEC_ID_MPEG4);
            r.setFrameRate(fps);
            r.setVideoQuality(2);
            r.start();
            for (int i = 0; i < frames; i++) {
                try (Mat m = numberedFrame(i, w, h)) {
                    r.record(conv.convert(m), AV_PIX_FMT_BGR24);
                }
            }
            r.stop();
        }
        return out;
    }

    /** A sound-only file (one second of a 440 Hz tone): FFmpeg opens it, but it has no video. */
    public static Path audioOnly(Path dir) throws Exception {
        Path out = dir.resolve("tone.wav");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), 1)) {
            r.setFormat("wav");
            r.setSampleRate(16000);
            r.start();
            short[] s = new short[16000];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            }
            r.recordSamples(16000, 1, ShortBuffer.wrap(s));
            r.stop();
        }
        return out;
    }

    /** The parts a test mask paints: a face, torso and the two upper legs, left/right distinct. */
    static final BodyPart[] MASK_PARTS = {BodyPart.LEFT_FACE, BodyPart.TORSO_FRONT, BodyPart.LEFT_UPPER_LEG_FRONT,
        BodyPart.RIGHT_UPPER_LEG_FRONT};

    /**
     * A BodyPix-style colour mask: white background and palette-coloured blocks whose position
     * moves with {@code i}, so a mask paired with the wrong frame is detectable.
     */
    static Mat colourMask(int i, int w, int h) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0));
        int bw = w / 8;
        for (int p = 0; p < MASK_PARTS.length; p++) {
            BodyPart part = MASK_PARTS[p];
            int x = (i * 4 + p * bw) % (w - bw);
            opencv_imgproc.rectangle(m, new Rect(x, p * h / 4, bw, h / 4),
                    new Scalar(part.blue(), part.green(), part.red(), 0), opencv_imgproc.FILLED, opencv_imgproc.LINE_8, 0);
        }
        return m;
    }

    /** x of part p's block in mask i (see {@link #colourMask}). */
    static int maskBlockX(int i, int p, int w) {
        int bw = w / 8;
        return (i * 4 + p * bw) % (w - bw);
    }

    /** The paired-capture layout: DIR/frames/NNN.jpg and DIR/masks/NNN.png. */
    static Path pairedCaptures(Path dir, int n, int w, int h) throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        Files.createDirectories(dir.resolve("masks"));
        for (int i = 0; i < n; i++) {
            try (Mat f = numberedFrame(i, w, h); Mat m = colourMask(i, w, h)) {
                // names that sort wrongly as plain strings: 2 must come before 10
                Files.write(dir.resolve("frames").resolve("capture" + i + ".jpg"), ImageCodec.encodeJpeg(f, 95));
                Files.write(dir.resolve("masks").resolve("capture" + i + ".png"), ImageCodec.encodePng(m));
            }
        }
        return dir;
    }

    static Point point(int x, int y) {
        return new Point(x, y);
    }
}
