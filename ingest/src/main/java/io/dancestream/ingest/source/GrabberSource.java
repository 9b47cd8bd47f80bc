package io.dancestream.ingest.source;

import io.dancestream.common.records.Timings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames through JavaCV's {@link FFmpegFrameGrabber}: video files, network streams and V4L2
 * cameras. A live source that ends or fails mid-way reconnects with backoff; a file ends.
 */
public final class GrabberSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(GrabberSource.class);
    static final String V4L2_FORMAT = "video4linux2";

    static {
        FfmpegLog.quiet();
    }

    private final SourceSpec spec;
    private final CameraSettings camera;
    private final Backoff backoff;
    private final BooleanSupplier stopRequested;
    private final String format;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private FFmpegFrameGrabber grabber;
    private int reconnects;
    private int unreadable;

    /** Requested camera capture size and rate (0 = the device's default). */
    public record CameraSettings(int width, int height, double fps) {
        public static final CameraSettings DEFAULT = new CameraSettings(0, 0, 0);
    }

    public GrabberSource(SourceSpec spec, CameraSettings camera, Backoff backoff, BooleanSupplier stopRequested) {
        this(spec, camera, backoff, stopRequested, spec.kind() == SourceSpec.Kind.CAMERA ? V4L2_FORMAT : null);
    }

    /** {@code format}: FFmpeg input format to force (V4L2 for cameras); visible for tests. */
    GrabberSource(SourceSpec spec, CameraSettings camera, Backoff backoff, BooleanSupplier stopRequested, String format) {
        this.spec = spec;
        this.camera = camera;
        this.backoff = backoff;
        this.stopRequested = stopRequested;
        this.format = format;
    }

    @Override
    public void open() {
        checkPath(spec);
        grabber = start();
    }

    /** File system checks first: they give a sharper sentence than FFmpeg's errno. */
    public static void checkPath(SourceSpec spec) {
        if (spec.kind() == SourceSpec.Kind.FILE) {
            Path p = Path.of(spec.location());
            if (!Files.exists(p)) {
                throw new SourceException(SourceErrors.missingFile(spec.location()));
            }
            if (!Files.isReadable(p)) {
                throw new SourceException("no permission to read video file " + spec.location()
                        + ": check its file permissions");
            }
        } else if (spec.kind() == SourceSpec.Kind.CAMERA) {
            Path p = Path.of(spec.location());
            if (!Files.exists(p)) {
                throw new SourceException(SourceErrors.noCamera(spec.location()));
            }
            // V4L2 opens the device read-write
            if (!Files.isReadable(p) || !Files.isWritable(p)) {
                throw new SourceException(SourceErrors.cameraPermission(spec.location()));
            }
        }
    }

    private FFmpegFrameGrabber start() {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(spec.location());
        if (format != null) {
            g.setFormat(format);
        }
        if (spec.kind() == SourceSpec.Kind.CAMERA) {
            if (camera.width() > 0 && camera.height() > 0) {
                g.setOption("video_size", camera.width() + "x" + camera.height());
            }
            if (camera.fps() > 0) {
                g.setOption("framerate", String.valueOf(camera.fps()));
            }
        }
        if (spec.location().startsWith("rtsp")) {
            g.setOption("rtsp_transport", "tcp"); // UDP loses packets (smeared frames) on busy networks
        }
        if (spec.kind() == SourceSpec.Kind.NETWORK) {
            g.setTimeout(10_000); // a stalled stream fails the read, so a live source can reconnect
        }
        try {
            g.start();
        } catch (FFmpegFrameGrabber.Exception e) {
            release(g);
            throw SourceErrors.explain(spec, e);
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0) {
            release(g);
            throw new SourceException(SourceErrors.noVideoStream(spec.location()));
        }
        return g;
    }

    @Override
    public CapturedFrame next() {
        while (!stopRequested.getAsBoolean()) {
            Frame f = null;
            Exception failure = null;
            try {
                f = grabber == null ? null : grabber.grabImage();
            } catch (FFmpegFrameGrabber.Exception e) {
                failure = e;
            }
            if (f != null && f.image != null) {
                long wall = Timings.nowMicros();
                Mat mat = converter.convert(f);
                return new CapturedFrame(mat, false, null, spec.live() ? -1 : f.timestamp, wall, null);
            }
            if (!spec.live()) {
                if (failure != null) {
                    LOG.warn("{} stopped being readable after {} ({}); finishing with the frames read so far",
                            spec.location(), grabber.getTimestamp(), failure.getMessage());
                    unreadable++;
                }
                return null;
            }
            reconnect(failure);
        }
        return null;
    }

    private void reconnect(Exception failure) {
        LOG.warn("live source {} {}; reconnecting", spec.location(),
                failure == null ? "ended" : "failed (" + failure.getMessage() + ")");
        release(grabber);
        grabber = null;
        for (int attempt = 0; !stopRequested.getAsBoolean(); attempt++) {
            long delay = backoff.delayMillis(attempt);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                grabber = start();
                reconnects++;
                LOG.info("live source {} reconnected after {} attempt(s)", spec.location(), attempt + 1);
                return;
            } catch (SourceException e) {
                LOG.warn("reconnect {} to {} failed: {}; next try in {} ms", attempt + 1, spec.location(),
                        e.getMessage(), backoff.delayMillis(attempt + 1));
            }
        }
    }

    @Override
    public boolean live() {
        return spec.live();
    }

    @Override
    public double frameRate() {
        return grabber == null ? 0 : grabber.getFrameRate();
    }

    @Override
    public long estimatedFrames() {
        if (spec.live() || grabber == null) {
            return -1;
        }
        int n = grabber.getLengthInVideoFrames();
        return n > 0 ? n : -1;
    }

    @Override
    public void rewind() {
        release(grabber);
        grabber = start();
    }

    @Override
    public int reconnects() {
        return reconnects;
    }

    @Override
    public int unreadable() {
        return unreadable;
    }

    @Override
    public String description() {
        return spec.description();
    }

    @Override
    public void close() {
        release(grabber);
        grabber = null;
        converter.close();
    }

    private static void release(FFmpegFrameGrabber g) {
        if (g == null) {
            return;
        }
        try {
            g.stop();
            g.release();
        } catch (FFmpegFrameGrabber.Exception e) {
            LOG.debug("closing grabber: {}", e.getMessage());
        }
    }
}
