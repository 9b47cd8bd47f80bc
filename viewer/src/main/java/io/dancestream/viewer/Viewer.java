package io.dancestream.viewer;

import io.dancestream.common.service.ServiceRuntime;
import java.time.Duration;

/**
 * The running viewer: a topic follower filling {@link LiveStreams}, and the HTTP server that
 * shows them. Its metrics (glass-to-glass, the viewer stage, Kafka consumer) go to the
 * service runtime's registry.
 */
public final class Viewer implements AutoCloseable {

    /** The sink tag of {@code dance_glass_to_glass_seconds}. */
    public static final String SINK = "viewer";

    private final LiveStreams streams;
    private final TopicFollower follower;
    private final ViewerHttpServer http;

    private Viewer(ServiceRuntime rt, String bind, int port, String groupId, StreamEnding ending) {
        streams = new LiveStreams(ending, System::nanoTime);
        follower = new TopicFollower(rt.clients(), groupId, rt.topics(), streams, rt.metrics());
        try {
            http = new ViewerHttpServer(streams, rt.metrics().glassToGlass(SINK),
                    rt.metrics().stage(TopicFollower.STAGE)::failed, bind, port);
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
        rt.bind(follower.consumer());
    }

    /** Starts following the topics and serving the page on {@code bind:port} (0 = a free port). */
    public static Viewer start(ServiceRuntime rt, String bind, int port, String groupId) {
        return start(rt, bind, port, groupId, StreamEnding.defaults());
    }

    /** As {@link #start(ServiceRuntime, String, int, String)}, with when streams end and how long they stay. */
    public static Viewer start(ServiceRuntime rt, String bind, int port, String groupId, StreamEnding ending) {
        Viewer v = new Viewer(rt, bind, port, groupId, ending);
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
    }
}
