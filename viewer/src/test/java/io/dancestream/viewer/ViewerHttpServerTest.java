package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViewerHttpServerTest {

    /** Stands still unless a test moves it: streams stay live. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LiveStreams streams = new LiveStreams(StreamEnding.defaults(), nanos::get);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Timer g2g = Timer.builder("dance.glass.to.glass").register(registry);
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger badImages = new AtomicInteger();
    private ViewerHttpServer server;

    @BeforeEach
    void start() {
        server = new ViewerHttpServer(streams, g2g, badImages::incrementAndGet, "127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsAssets() throws Exception {
        var page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("/assets/viewer.js", "stream-template");
        assertThat(new String(get("/assets/viewer.js").body(), StandardCharsets.UTF_8)).contains("EventSource('/events')");
        assertThat(get("/assets/viewer.css").statusCode()).isEqualTo(200);
    }

    /** Raw request lines, so no client normalizes the path before it reaches the server. */
    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/assets/../../pom.xml", "/assets/%2e%2e/%2e%2e/pom.xml",
        "/assets/..%2f..%2fpom.xml", "/assets/viewer.js/../../../../etc/passwd", "//etc/passwd",
        "/io/dancestream/viewer/ViewerHttpServer.class", "/assets/", "/assets/index.html%00.js",
        "/META-INF/dance-service", "/simplelogger.properties"})
    void servesNothingButItsOwnAssets(String path) throws Exception {
        String response = raw(path);
        assertThat(response).matches("(?s)HTTP/1\\.1 40[04] .*");
        assertThat(response).doesNotContain("<project", "root:", "simpleLogger", "CAFEBABE");
    }

    /** The whole response to a GET sent as written (no client parses or normalizes the path). */
    private String raw(String pathAndQuery) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void servesTheNewestImageWithItsCaptureTime() throws Exception {
        byte[] jpeg = TestImages.jpeg(4, 0);
        streams.put("cam 1/å", Panel.SOURCE, new PanelImage(jpeg, "image/jpeg", 4, 123_456, "file"));
        var res = get("/image?stream=cam%201%2F%C3%A5&panel=source");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(jpeg);
        assertThat(res.headers().firstValue("X-Seq")).hasValue("4");
        assertThat(res.headers().firstValue("X-Capture-Us")).hasValue("123456");
        assertThat(get("/image?stream=cam%201%2F%C3%A5&panel=render").statusCode()).isEqualTo(404);
        assertThat(get("/image?stream=other&panel=source").statusCode()).isEqualTo(404);
        assertThat(get("/image?stream=cam%201%2F%C3%A5&panel=..%2Fpom.xml").statusCode()).isEqualTo(404);
        // a broken %-escape is a 400 (from the JDK server or our own check), never a crash
        assertThat(raw("/image?stream=%zz&panel=source")).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void aPartMapThatCannotBeColouredIsAnErrorResponseAndCounted() throws Exception {
        byte[] png = TestImages.classMap(3);
        byte[] truncated = java.util.Arrays.copyOf(png, 40); // a valid 8-bit grey header, then nothing
        var seg = TestImages.segmentation("cam", 3, 1).toBuilder()
                .setClassMap(com.google.protobuf.ByteString.copyFrom(truncated)).build();
        streams.put("cam", Panel.PARTS, TopicFollower.parts(seg));
        var res = get("/image?stream=cam&panel=parts");
        assertThat(res.statusCode()).isEqualTo(422);
        assertThat(new String(res.body(), StandardCharsets.UTF_8)).contains("class_map");
        assertThat(badImages.get()).isEqualTo(1);
    }

    @Test
    void anEndedStreamsImageShownLaterIsNoLatency() throws Exception {
        streams.put("cam", Panel.RENDER, new PanelImage(TestImages.jpeg(1, 0), "image/jpeg", 1, 1, "v1"));
        long captureUs = TestImages.now() - 250_000;
        assertThat(post("/shown", "{\"stream\":\"cam\",\"panel\":\"render\",\"captureUs\":" + captureUs + "}")
                .statusCode()).isEqualTo(204);
        nanos.addAndGet(StreamEnding.DEFAULT_ENDED_AFTER.toNanos() + 1);
        // a page opened after the end loads the last render: accepted, but neither metric nor final latency
        long laterCaptureUs = TestImages.now() - 60_000_000;
        assertThat(post("/shown", "{\"stream\":\"cam\",\"panel\":\"render\",\"captureUs\":" + laterCaptureUs + "}")
                .statusCode()).isEqualTo(204);
        assertThat(g2g.count()).isEqualTo(1);
        JsonNode snap = new ObjectMapper().readTree(get("/api/streams").body());
        assertThat(snap.get(0).path("state").asText()).isEqualTo("ended");
        assertThat(snap.get(0).at("/panels/render/shownLatencyMs").asDouble()).isBetween(250.0, 60_000.0);
    }

    @Test
    void recordsGlassToGlassWhenTheRenderIsShown() throws Exception {
        streams.put("cam", Panel.RENDER, new PanelImage(TestImages.jpeg(1, 0), "image/jpeg", 1, 1, "v1"));
        long captureUs = TestImages.now() - 250_000;
        var res = post("/shown", "{\"stream\":\"cam\",\"panel\":\"render\",\"captureUs\":" + captureUs + "}");
        assertThat(res.statusCode()).isEqualTo(204);
        assertThat(g2g.count()).isEqualTo(1);
        assertThat(g2g.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(250.0);

        // a shown source frame is drawn on the page but is not glass-to-glass
        assertThat(post("/shown", "{\"stream\":\"cam\",\"panel\":\"source\",\"captureUs\":" + captureUs + "}")
                .statusCode()).isEqualTo(204);
        assertThat(g2g.count()).isEqualTo(1);
        JsonNode snap = new ObjectMapper().readTree(get("/api/streams").body());
        assertThat(snap.get(0).at("/panels/render/shownLatencyMs").asDouble()).isGreaterThanOrEqualTo(250.0);
        assertThat(snap.get(0).at("/panels/source/shownLatencyMs").asDouble()).isGreaterThanOrEqualTo(250.0);
    }

    @Test
    void refusesImplausibleShownReports() throws Exception {
        assertThat(post("/shown", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/shown", "{\"stream\":\"cam\",\"panel\":\"render\",\"captureUs\":0}").body())
                .contains("not a recent capture time");
        long future = TestImages.now() + 3_600_000_000L;
        assertThat(post("/shown", "{\"stream\":\"cam\",\"panel\":\"render\",\"captureUs\":" + future + "}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/shown", "{\"stream\":\"cam\",\"panel\":\"hack\",\"captureUs\":1}").statusCode()).isEqualTo(400);
        assertThat(get("/shown").statusCode()).isEqualTo(405);
        assertThat(g2g.count()).isZero();
    }

    @Test
    void eventStreamSendsTheStreamState() throws Exception {
        streams.put("cam", Panel.PARTS, new PanelImage(new byte[] {1}, "image/png", 9, 99, "blazepose-full"));
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String data = null;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data = line.substring(6);
                    break;
                }
            }
            JsonNode snap = new ObjectMapper().readTree(data);
            assertThat(snap.get(0).get("stream").asText()).isEqualTo("cam");
            assertThat(snap.get(0).at("/panels/parts/seq").asLong()).isEqualTo(9);
            assertThat(snap.get(0).at("/panels/parts/label").asText()).isEqualTo("blazepose-full");
        }
    }
}
