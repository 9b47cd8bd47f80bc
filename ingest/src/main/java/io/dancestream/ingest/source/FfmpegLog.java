package io.dancestream.ingest.source;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg prints every stream's description at INFO level; a CLI wants only its errors. */
public final class FfmpegLog {

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private FfmpegLog() {
    }

    /** Runs the static initializer once; call before the first grabber or recorder. */
    public static void quiet() {
        // the work is in the static initializer
    }
}
