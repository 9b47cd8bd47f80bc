package io.dancestream.common.io;

import io.dancestream.common.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** The first frames of a video as JPEGs: the input of the benchmarks and of tests that feed a topic. */
public final class VideoFrames {

    private VideoFrames() {
    }

    /** Up to {@code n} frames of {@code video}, each JPEG-encoded; a clear error for an unreadable or empty video. */
    public static List<byte[]> jpegs(Path video, int n) throws Exception {
        if (!Files.isReadable(video)) {
            throw new IllegalArgumentException("cannot read video " + video);
        }
        List<byte[]> out = new ArrayList<>(n);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f;
            while (out.size() < n && (f = g.grabImage()) != null) {
                Mat m = conv.convert(f);
                out.add(ImageCodec.encodeJpeg(m));
            }
            g.stop();
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no frames in " + video);
        }
        return out;
    }
}
