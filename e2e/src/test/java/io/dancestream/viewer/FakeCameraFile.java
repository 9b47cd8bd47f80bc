package io.dancestream.viewer;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * A Y4M file for Chromium's fake camera ({@code --use-file-for-fake-video-capture}), made at test
 * time from a video with JavaCV's FFmpeg (no ffmpeg CLI needed). Chromium plays it at the file's
 * own rate and loops it; vtest.avi is 10 fps, so each frame is written {@code repeat} times.
 */
final class FakeCameraFile {

    private FakeCameraFile() {
    }

    /** {@code frames} source frames, scaled to {@code width}×{@code height}, at {@code 10 × repeat} fps. */
    static Path y4m(Path video, Path out, int width, int height, int frames, int repeat) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            double fps = g.getFrameRate() * repeat;
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), width, height)) {
                r.setFormat("yuv4mpegpipe");
                r.setVideoCodec(avcodec.AV_CODEC_ID_RAWVIDEO);
                r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                r.setFrameRate(fps);
                r.start();
                for (int i = 0; i < frames; i++) {
                    Frame f = g.grabImage();
                    if (f == null) {
                        break;
                    }
                    for (int k = 0; k < repeat; k++) {
                        r.record(f);
                    }
                }
            }
        }
        return out;
    }
}
