package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dancestream.common.ingest.IngestHeaders;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.Timings;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.viewer.camera.CameraIngest;
import io.dancestream.viewer.camera.CameraMessage;
import io.dancestream.viewer.camera.CameraSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The browser camera's endpoint against a real broker, spoken to by a Java WebSocket client:
 * good frames become Frame records exactly like ingest's (same metrics), and every kind of bad
 * connection or message is refused with its reason, counted, and never reaches the topic.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
public class CameraEndpointIT {

    /** Bounds every wait (generous: a loaded machine can hold the first send of a stream for a while). */
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String TOKEN = "3f9c1b7e2a6d4c8f9e0a1b2c";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebSocketClient client = new WebSocketClient();

    @BeforeEach
    void startClient() throws Exception {
        client.setIdleTimeout(WAIT);
        client.start();
    }

    @AfterEach
    void stopClient() throws Exception {
        client.stop();
    }

    @Test
    void framesBecomeIngestRecordsAndBadMessagesAreRefused(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = TestTopics.unique("camera-endpoint");
        CameraSettings settings = CameraSettings.localDefaults().withLimits(64 * 1024, 30);
        try (ServiceRuntime rt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             Viewer viewer = Viewer.start(rt, "127.0.0.1", 0, "camera-endpoint-it", StreamEnding.defaults(), settings)) {
            MeterRegistry reg = rt.metrics().registry();
            // a good connection: hello, three frames one at a time, a glass-to-glass report
            Peer good = connect(viewer);
            good.send("{\"token\":\"\"}");
            assertThat(good.next().path("ready").asBoolean()).isTrue();
            long before = Timings.nowMicros();
            long[] replaced = {0, 2, 5};
            for (int i = 0; i < 3; i++) {
                good.send(CameraMessage.encode("cam-ok", 10 + i, 1000.5 + i, replaced[i], TestImages.jpeg(i, 0)));
                JsonNode ack = good.next();
                assertThat(ack.path("ack").asLong()).as(ack.toString()).isEqualTo(10 + i);
                assertThat(ack.path("seq").asLong()).isEqualTo(i);
            }
            long after = Timings.nowMicros();
            good.send("{\"g2g\":180.5,\"seq\":1}");
            good.send("{\"g2g\":5,\"seq\":99}"); // a seq this connection never sent: not recorded
            good.send("{\"g2g\":170,\"seq\":1}"); // the same seq twice: recorded once
            // the reports are handled in order before the next frame, whose ack we wait for
            good.send(CameraMessage.encode("cam-ok", 13, 1003.5, 5, TestImages.jpeg(3, 0)));
            assertThat(good.next().path("seq").asLong()).isEqualTo(3);
            var g2g = reg.find("dance.glass.to.glass").tag("sink", CameraIngest.SINK).timer();
            assertThat(g2g.count()).isEqualTo(1);
            assertThat(g2g.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(180.5);

            // a frame with a bad stream id
            Peer badId = connect(viewer);
            badId.send("{\"token\":\"\"}");
            badId.next();
            badId.send(CameraMessage.encode("bad id!", 0, 1, 0, TestImages.jpeg(0, 0)));
            assertThat(badId.next().path("reason").asText()).isEqualTo("bad_stream_id");
            assertThat(badId.closed()).satisfies(c -> {
                assertThat(c.code()).isEqualTo(1008);
                assertThat(c.reason()).contains("bad stream id");
            });

            // a message above the limit: Jetty closes with 1009 before reading it whole
            Peer big = connect(viewer);
            big.send("{\"token\":\"\"}");
            big.next();
            big.send(CameraMessage.encode("cam-big", 0, 1, 0, new byte[70 * 1024]));
            assertThat(big.closed().code()).isEqualTo(1009);

            // not a JPEG after a good header
            Peer notJpeg = connect(viewer);
            notJpeg.send("{\"token\":\"\"}");
            notJpeg.next();
            notJpeg.send(CameraMessage.encode("cam-junk", 0, 1, 0, "not a jpeg".getBytes(StandardCharsets.US_ASCII)));
            assertThat(notJpeg.closed().code()).isEqualTo(1008);

            // a frame before the hello
            Peer noHello = connect(viewer);
            noHello.send(CameraMessage.encode("cam-early", 0, 1, 0, TestImages.jpeg(0, 0)));
            assertThat(noHello.closed().code()).isEqualTo(1008);

            // another site's page: refused at the upgrade
            assertThatThrownBy(() -> connect(viewer, "http://evil.example")).hasStackTraceContaining("403");

            assertThat(refused(reg, "bad_stream_id")).isEqualTo(1);
            assertThat(refused(reg, "too_large")).isEqualTo(1);
            assertThat(refused(reg, "bad_jpeg")).isEqualTo(1);
            assertThat(refused(reg, "protocol")).isEqualTo(1);
            assertThat(refused(reg, "origin")).isEqualTo(1);
            assertThat(refused(reg, "token")).isZero();
            // ingest's own meters: four frames written, the page's replaced frames as stale drops
            assertThat(reg.find("dance.frames").tags("stage", "ingest", "outcome", DanceMetrics.PROCESSED).counter()
                    .count()).isEqualTo(4);
            assertThat(reg.find("dance.frames").tags("stage", "ingest", "outcome", DanceMetrics.DROPPED_STALE)
                    .counter().count()).isEqualTo(5);
            assertThat(reg.find("dance.frame.bytes").tag("stage", "ingest").summary().count()).isEqualTo(4);

            // on the topic: exactly the four good frames, as ingest writes them
            List<ConsumerRecord<String, byte[]>> records = TestRecords.readAll(broker.clients().consumer("check"),
                    topics.frames(), 4, WAIT);
            assertThat(records).extracting(ConsumerRecord::key).containsOnly("cam-ok").hasSize(4);
            for (int i = 0; i < 4; i++) {
                ConsumerRecord<String, byte[]> r = records.get(i);
                Frame f = Frame.parseFrom(r.value());
                assertThat(f.getStreamId()).isEqualTo("cam-ok");
                assertThat(f.getSeq()).isEqualTo(i);
                assertThat(f.getWidth()).isEqualTo(TestImages.W);
                assertThat(f.getHeight()).isEqualTo(TestImages.H);
                assertThat(f.getJpeg().toByteArray()).isEqualTo(TestImages.jpeg(i, 0));
                assertThat(f.getSource()).startsWith("browser camera 127.0.0.1");
                assertThat(f.getTimings(0).getStage()).isEqualTo("ingest");
                // capture time: the server's receive time, not the page's 1000.5 ms
                if (i < 3) {
                    assertThat(f.getCaptureTimeUs()).isBetween(before, after);
                }
                assertThat(r.timestamp()).isEqualTo(f.getCaptureTimeUs() / 1000);
                assertThat(new String(r.headers().lastHeader(IngestHeaders.PAGE_CAPTURE_MS).value(),
                        StandardCharsets.UTF_8)).isEqualTo(Double.toString(1000.5 + i));
            }
            good.close();
        }
    }

    @Test
    void aNonLocalBindNeedsTheToken(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = TestTopics.unique("camera-token");
        CameraSettings withToken = CameraSettings.forBind("0.0.0.0", null, TOKEN, 1 << 20, 30);
        CameraSettings without = CameraSettings.forBind("0.0.0.0", null, null, 1 << 20, 30);
        assertThat(withToken.enabled()).isTrue();
        assertThat(without.enabled()).isFalse();
        assertThat(CameraSettings.forBind("127.0.0.1", null, null, 1 << 20, 30).enabled()).isTrue();
        try (ServiceRuntime rt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             Viewer viewer = Viewer.start(rt, "0.0.0.0", 0, "camera-token-it", StreamEnding.defaults(), withToken)) {
            MeterRegistry reg = rt.metrics().registry();
            Peer missing = connect(viewer);
            missing.send("{}");
            assertThat(missing.next().path("reason").asText()).isEqualTo("token");
            assertThat(missing.closed().code()).isEqualTo(1008);

            Peer wrong = connect(viewer);
            wrong.send("{\"token\":\"guess\"}");
            assertThat(wrong.closed().code()).isEqualTo(1008);

            Peer frameFirst = connect(viewer);
            frameFirst.send(CameraMessage.encode("cam-sneaky", 0, 1, 0, TestImages.jpeg(0, 0)));
            assertThat(frameFirst.closed().code()).isEqualTo(1008);
            assertThat(refused(reg, "token")).isEqualTo(3);

            Peer right = connect(viewer);
            right.send("{\"token\":\"" + TOKEN + "\"}");
            assertThat(right.next().path("ready").asBoolean()).isTrue();
            right.send(CameraMessage.encode("cam-token", 0, 1, 0, TestImages.jpeg(0, 0)));
            assertThat(right.next().path("seq").asLong()).isZero();
            right.close();

            assertThat(info(viewer).path("tokenRequired").asBoolean()).isTrue();
            assertThat(info(viewer).toString()).doesNotContain(TOKEN);
            List<ConsumerRecord<String, byte[]>> records = TestRecords.readAll(broker.clients().consumer("check"),
                    topics.frames(), 1, WAIT);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("cam-token");
        }
        try (ServiceRuntime rt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             Viewer viewer = Viewer.start(rt, "0.0.0.0", 0, "camera-off-it", StreamEnding.defaults(), without)) {
            assertThatThrownBy(() -> connect(viewer, null))
                    .hasStackTraceContaining("403");
            assertThat(refused(rt.metrics().registry(), "disabled")).isEqualTo(1);
            JsonNode info = info(viewer);
            assertThat(info.path("enabled").asBoolean()).isFalse();
            assertThat(info.path("why").asText()).contains("no token", CameraSettings.TOKEN_ENV);
        }
    }

    private static JsonNode info(Viewer viewer) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + viewer.port() + "/api/camera")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static double refused(MeterRegistry reg, String reason) {
        return reg.find("dance.camera.refused").tag("reason", reason).counter().count();
    }

    /** A connection to the viewer's camera endpoint from its own page. */
    private Peer connect(Viewer viewer) throws Exception {
        return connect(viewer, "http://127.0.0.1:" + viewer.port());
    }

    /** A connection to the viewer's camera endpoint with this Origin header (none if null). */
    private Peer connect(Viewer viewer, String origin) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + viewer.port() + "/camera");
        Peer p = new Peer();
        ClientUpgradeRequest req = new ClientUpgradeRequest();
        if (origin != null) {
            req.setHeader("Origin", origin);
        }
        try {
            client.connect(p, uri, req).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("connect failed", e.getCause());
        }
        return p;
    }

    /** A client end that queues the viewer's texts and remembers how it closed. */
    public static final class Peer implements Session.Listener.AutoDemanding {
        record Closed(int code, String reason) {
        }

        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String text) {
            texts.add(text);
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            closed.complete(new Closed(code, reason));
        }

        void send(String text) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.sendText(text, Callback.from(() -> done.complete(null), done::completeExceptionally));
            done.get(10, TimeUnit.SECONDS);
        }

        void send(ByteBuffer binary) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            session.sendBinary(binary, Callback.from(() -> done.complete(null), done::completeExceptionally));
            try {
                done.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // the viewer may close while a too-large message is still being written
            }
        }

        JsonNode next() throws Exception {
            String t = texts.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(t).as("a message from the viewer").isNotNull();
            return JSON.readTree(t);
        }

        Closed closed() throws Exception {
            return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        void close() {
            session.close();
        }
    }
}
