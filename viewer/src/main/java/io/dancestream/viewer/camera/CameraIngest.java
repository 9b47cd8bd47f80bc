package io.dancestream.viewer.camera;

import io.dancestream.common.ingest.FrameSender;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;

/**
 * The service side of the browser camera: every connection's frames become {@code Frame}
 * records on {@code dance.frames} through common's {@link FrameSender}, the path {@code dance
 * ingest} takes, so the records and the {@code ingest} metrics are the same. What only the camera
 * has: refusals by reason ({@code dance_camera_refused_total}) and the page's own glass-to-glass
 * ({@code dance_glass_to_glass_seconds{sink="camera"}}).
 */
public final class CameraIngest {

    /** The sink tag of the page-measured glass-to-glass latency. */
    public static final String SINK = "camera";
    private static final List<String> REASONS = List.of(CameraRefusal.ORIGIN, CameraRefusal.DISABLED,
            CameraRefusal.TOKEN, CameraRefusal.PROTOCOL, CameraRefusal.TOO_LARGE, CameraRefusal.BAD_STREAM_ID,
            CameraRefusal.BAD_HEADER, CameraRefusal.BAD_JPEG, CameraRefusal.IN_FLIGHT, CameraRefusal.RATE);

    private final CameraSettings settings;
    private final FrameSender sender;
    private final DanceMetrics metrics;
    private volatile Timer glassToGlass;

    /**
     * @param producer the viewer's producer; may be null when the camera is off
     */
    public CameraIngest(CameraSettings settings, Producer<String, byte[]> producer, Topics topics,
                        DanceMetrics metrics) {
        this.settings = Objects.requireNonNull(settings);
        this.metrics = metrics;
        this.sender = settings.enabled() ? new FrameSender(producer, topics, metrics) : null;
        REASONS.forEach(metrics::cameraRefused); // every reason visible at 0 from the start
    }

    public CameraSettings settings() {
        return settings;
    }

    FrameSender sender() {
        return sender;
    }

    /** Registered on the first report: a viewer whose camera is never used shows no {@code sink="camera"} series. */
    Timer glassToGlass() {
        Timer t = glassToGlass;
        if (t == null) {
            t = metrics.glassToGlass(SINK);
            glassToGlass = t;
        }
        return t;
    }

    void refused(String reason) {
        metrics.cameraRefused(reason).increment();
    }

    /** A new connection from {@code remote}. */
    CameraSocket connect(String remote) {
        return new CameraSocket(this, remote, new RateLimit(settings.maxFps(), System::nanoTime));
    }
}
