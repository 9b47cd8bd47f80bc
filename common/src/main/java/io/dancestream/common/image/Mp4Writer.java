package io.dancestream.common.image;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.dancestream.common.metrics.Percentiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Writes BGR frames to a video file through JavaCV's FFmpeg: the one video writer of the project
 * (ingest's export, transfer-stream's side-by-side export). The container follows the file name
 * ({@code .mkv}, {@code .webm}, {@code .avi}, else MP4); the picture is yuv420p, so the size is
 * rounded down to even numbers. A frame of another size is scaled by the recorder to this size.
 */
public final class Mp4Writer implements AutoCloseable {

    /** Frame rate when capture times cannot give one (fewer than two distinct times). */
    public static final double FALLBACK_FPS = 10;

    /** Video codecs of JavaCV's default FFmpeg build (it has no libx264). */
    public enum Codec {
        mpeg4, h264, vp9
    }

    private final Path output;
    private final FFmpegFrameRecorder recorder;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final int width;
    private final int height;
    private long frames;

    private Mp4Writer(Path output, FFmpegFrameRecorder recorder, int width, int height) {
        this.output = output;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
    }

    /** Starts the encoder; fails with the reason when FFmpeg cannot write {@code output} with {@code codec}. */
    public static Mp4Writer open(Path output, int width, int height, double fps, Codec codec) {
        int w = Math.max(2, width & ~1);
        int h = Math.max(2, height & ~1);
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(output.toFile(), w, h, 0);
        r.setFormat(container(output));
        switch (codec) {
            case mpeg4 -> {
                r.setVideoCodec(AV_CODEC_ID_MPEG4);
                r.setVideoQuality(3); // qscale 3: visually clean, a few MB per minute at 640x480
            }
            case h264 -> {
                r.setVideoCodecName("libopenh264");
                r.setVideoBitrate(4_000_000);
            }
            case vp9 -> {
                r.setVideoCodecName("libvpx-vp9");
                r.setVideoBitrate(2_000_000);
            }
            default -> throw new IllegalStateException();
        }
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        try {
            r.start();
        } catch (FFmpegFrameRecorder.Exception e) {
            try {
                r.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // the start failure is the one to report
            }
            throw new IllegalStateException("FFmpeg cannot write " + output + " with codec " + codec + ": "
                    + e.getMessage(), e);
        }
        return new Mp4Writer(output, r, w, h);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    /** Appends one 8-bit BGR frame. */
    public void write(Mat bgr) {
        try {
            recorder.record(converter.convert(bgr), AV_PIX_FMT_BGR24);
            frames++;
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IllegalStateException("FFmpeg could not encode frame " + frames + " into " + output + ": "
                    + e.getMessage(), e);
        }
    }

    /** Finishes the file (trailer, index). */
    @Override
    public void close() {
        converter.close();
        try {
            recorder.stop();
            recorder.release();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IllegalStateException("FFmpeg could not finish " + output + ": " + e.getMessage(), e);
        }
    }

    /**
     * Frames per second from the median spacing of capture times (robust to a dropped frame),
     * to 0.01 fps; {@link #FALLBACK_FPS} when there are not two distinct times.
     */
    public static double frameRate(long[] captureUs) {
        long[] gaps = new long[Math.max(0, captureUs.length - 1)];
        int n = 0;
        for (int i = 1; i < captureUs.length; i++) {
            long g = captureUs[i] - captureUs[i - 1];
            if (g > 0) {
                gaps[n++] = g;
            }
        }
        if (n == 0) {
            return FALLBACK_FPS;
        }
        double fps = 1e6 / Percentiles.median(Arrays.copyOf(gaps, n));
        return Math.round(fps * 100) / 100.0;
    }

    /** The FFmpeg container for a file name. */
    public static String container(Path output) {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mkv")) {
            return "matroska";
        }
        if (name.endsWith(".webm")) {
            return "webm";
        }
        if (name.endsWith(".avi")) {
            return "avi";
        }
        return "mp4";
    }
}
