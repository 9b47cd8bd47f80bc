package io.dancestream.viewer;

import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.viewer.camera.CameraIngest;
import io.dancestream.viewer.camera.CameraSettings;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The running viewer: a topic follower filling {@link LiveStreams}, the HTTP server that
 * shows them, and (when its settings allow) the browser camera that writes a page's frames to
 * {@code dance.frames} through its own producer. Its metrics (glass-to-glass, the viewer stage,
 * the camera's ingest meters and refusals, Kafka clients) go to the service runtime's registry.
 */
public final class Viewer implements AutoCloseable {

    /** The sink tag of {@code dance_glass_to_glass_seconds}. */
    public static final String SINK = "viewer";

    private final LiveStreams streams;
    private final TopicFollower follower;
    private final ViewerHttpServer http;
    private final KafkaProducer<String, byte[]> cameraProducer;

    private Viewer(ServiceRuntime rt, String bind, int port, String groupId, StreamEnding ending,
                   CameraSettings camera) {
        streams = new LiveStreams(ending, System::nanoTime);
        follower = new TopicFollower(rt.clients(), groupId, rt.topics(), streams, rt.metrics());
        cameraProducer = camera.enabled() ? new KafkaProducer<>(rt.clients().producer("dance-viewer-camera")) : null;
        try {
            CameraIngest cameraIngest = new CameraIngest(camera, cameraProducer, rt.topics(), rt.metrics());
            http = new ViewerHttpServer(streams, rt.metrics().glassToGlass(SINK),
                    rt.metrics().stage(TopicFollower.STAGE)::failed, bind, port, cameraIngest);
        } catch (RuntimeException e) {
            follower.close();
            if (cameraProducer != null) {
                cameraProducer.close();
            }
            throw e;
        }
        rt.bind(follower.consumer());
        if (cameraProducer != null) {
            rt.bind(cameraProducer);
        }
    }

    /** Starts following the topics and serving the page on {@code bind:port} (0 = a free port). */
    public static Viewer start(ServiceRuntime rt, String bind, int port, String groupId) {
        return start(rt, bind, port, groupId, StreamEnding.defaults());
    }

    /**
     * As {@link #start(ServiceRuntime, String, int, String)}, with when streams end and how long they
     * stay; the browser camera is off.
     */
    public static Viewer start(ServiceRuntime rt, String bind, int port, String groupId, StreamEnding ending) {
        return start(rt, bind, port, groupId, ending, CameraSettings.off("this viewer was started without a camera"));
    }

    /** As above, with the browser camera's settings ({@link CameraSettings#forBind}). */
    public static Viewer start(ServiceRuntime rt, String bind, int port, String groupId, StreamEnding ending,
                               CameraSettings camera) {
        Viewer v = new Viewer(rt, bind, port, groupId, ending, camera);
        v.follower.start();
        v.http.start();
        return v;
    }

    public int port() {
        return http.port();
    }

    public LiveStreams streams() {
        return streams;
    }

    /** Waits until the consumer sits at the topics' ends: records produced after this are shown. */
    public boolean awaitFollowing(Duration timeout) throws InterruptedException {
        return follower.awaitPositioned(timeout);
    }

    @Override
    public void close() {
        http.close();
        follower.close();
        if (cameraProducer != null) {
            cameraProducer.close(); // flushes: what the camera's pages were told is acknowledged is written
        }
    }
}
