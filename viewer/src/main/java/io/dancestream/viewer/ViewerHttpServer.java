package io.dancestream.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dancestream.common.records.Timings;
import io.dancestream.viewer.camera.CameraIngest;
import io.dancestream.viewer.camera.CameraUpgrade;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's HTTP side: the page and its two assets, a Server-Sent Events feed of stream
 * state, the latest image per stream and panel, the page's "shown" reports from which
 * glass-to-glass latency is recorded, and the browser camera's WebSocket ({@code /camera}).
 *
 * <p>Server: Jetty 12 core (jetty-server + jetty-websocket-jetty-server, no servlet layer). The
 * JDK HttpServer it replaced has no WebSockets; Jetty is the most widely deployed embeddable Java
 * server with WebSockets (Eclipse Foundation, monthly releases, Kafka Connect's REST server and
 * Micrometer's own binders use it), serves HTTP and WebSocket on one port (so the page's origin
 * is the camera's), and its core API needs no servlet container. Its default URI compliance
 * refuses ambiguous paths ({@code ..}, encoded separators) with 400 before any handler runs.
 *
 * <p>Glass-to-glass is measured without trusting the browser's clock: the image response
 * carries the capture time, the page posts it back once the image is decoded and on screen,
 * and the server takes now − capture on its own clock (the same clock family as the capture
 * time, and it includes the path back, so it errs high, never low). The camera's page-clock
 * figure is the other sink, see {@link CameraIngest}.
 */
public final class ViewerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewerHttpServer.class);
    /** Concurrent event-stream clients; each holds a thread. */
    static final int MAX_EVENT_CLIENTS = 16;
    private static final long MAX_PLAUSIBLE_LATENCY_US = 3_600_000_000L;
    private static final long CLOCK_SLACK_US = 5_000_000L;
    private static final int MAX_BODY_BYTES = 4096;

    private final LiveStreams streams;
    private final Timer glassToGlass;
    private final Runnable badImage;
    private final StaticAssets assets = new StaticAssets();
    private final ObjectMapper json = new ObjectMapper();
    private final Semaphore eventSlots = new Semaphore(MAX_EVENT_CLIENTS);
    private final Server server;
    private final ServerConnector connector;
    private final String bind;
    private final CameraIngest camera;
    private volatile boolean closing;

    /** Without the camera endpoint. */
    public ViewerHttpServer(LiveStreams streams, Timer glassToGlass, Runnable badImage, String bind, int port) {
        this(streams, glassToGlass, badImage, bind, port, null);
    }

    /**
     * @param badImage called when a record's image turns out unshowable as it is rendered for a
     *                 page (counted as the viewer stage's failure)
     * @param camera   the browser camera behind {@code /camera}, or null for none
     */
    public ViewerHttpServer(LiveStreams streams, Timer glassToGlass, Runnable badImage, String bind, int port,
                            CameraIngest camera) {
        this.streams = streams;
        this.glassToGlass = glassToGlass;
        this.badImage = badImage;
        this.bind = bind;
        this.camera = camera;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_EVENT_CLIENTS + 32, 4);
        threads.setName("viewer-http");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(2000);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(bind);
        connector.setPort(port);
        server.addConnector(connector);
        Handler routes = new Routes();
        if (camera != null) {
            WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
                container.setMaxBinaryMessageSize(camera.settings().maxMessageBytes());
                container.setMaxTextMessageSize(MAX_BODY_BYTES);
                container.setIdleTimeout(Duration.ofSeconds(60));
                container.addMapping("/camera", new CameraUpgrade(camera));
            });
            ws.setHandler(routes);
            server.setHandler(ws);
        } else {
            server.setHandler(routes);
        }
    }

    public ViewerHttpServer start() {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new UncheckedIOException(new IOException("cannot serve the viewer on " + bind + ":"
                    + connector.getPort() + " (" + e.getMessage() + "): choose another --port", e));
        }
        LOG.info("viewer at http://{}:{}/", bind, port());
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The routes, one blocking handler: requests are few and small, the event streams hold a thread each. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request rq, Response rs, Callback cb) {
            try {
                route(rq, rs, cb);
            } catch (IllegalArgumentException e) {
                // a malformed query (e.g. a broken %-escape): the client's mistake, answered as such
                send(rs, cb, 400, "text/plain", ("bad request: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the browser went away mid-response: nothing to answer
                LOG.debug("client gone: {}", e.getMessage());
                cb.failed(e);
            }
            return true;
        }
    }

    private void route(Request rq, Response rs, Callback cb) throws IOException {
        String path = rq.getHttpURI().getPath();
        String method = rq.getMethod();
        switch (path) {
            case "/events" -> requireGet(rs, cb, method, () -> events(rs, cb));
            case "/image" -> requireGet(rs, cb, method, () -> image(rq, rs, cb));
            case "/api/streams" -> requireGet(rs, cb, method,
                    () -> send(rs, cb, 200, "application/json", json.writeValueAsBytes(streams.snapshot())));
            case "/api/camera" -> requireGet(rs, cb, method,
                    () -> send(rs, cb, 200, "application/json", json.writeValueAsBytes(cameraInfo())));
            case "/shown" -> {
                if (!"POST".equals(method)) {
                    send(rs, cb, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    shown(rq, rs, cb);
                }
            }
            default -> requireGet(rs, cb, method, () -> asset(rs, cb, path));
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void requireGet(Response rs, Callback cb, String method, Action action) throws IOException {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            send(rs, cb, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        action.run();
    }

    private void asset(Response rs, Callback cb, String rawPath) {
        StaticAssets.Asset a = assets.get(rawPath);
        if (a == null) {
            send(rs, cb, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(rs, cb, 200, a.contentType(), a.bytes());
    }

    private void image(Request rq, Response rs, Callback cb) {
        Map<String, String> q = query(rq.getHttpURI().getQuery());
        Panel panel = Panel.ofId(q.getOrDefault("panel", ""));
        PanelImage img = panel == null ? null : streams.latest(q.getOrDefault("stream", ""), panel);
        if (img == null) {
            send(rs, cb, 404, "text/plain", "no such stream or panel\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] bytes;
        try {
            bytes = img.bytes();
        } catch (PanelImage.BadImageException e) {
            badImage.run();
            LOG.warn("cannot show {} of stream {} seq {}: {}", panel.id(), q.get("stream"), img.seq(), e.getMessage());
            send(rs, cb, 422, "text/plain", ("unshowable image: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        rs.getHeaders().put("X-Seq", Long.toString(img.seq()));
        rs.getHeaders().put("X-Capture-Us", Long.toString(img.captureTimeUs()));
        send(rs, cb, 200, img.contentType(), bytes);
    }

    /** What the page needs to know before it opens the camera (never the token itself). */
    private Map<String, Object> cameraInfo() {
        Map<String, Object> info = new java.util.LinkedHashMap<>();
        if (camera == null) {
            info.put("enabled", false);
            info.put("why", "this viewer has no camera endpoint");
            return info;
        }
        info.put("enabled", camera.settings().enabled());
        info.put("tokenRequired", camera.settings().token() != null);
        info.put("why", camera.settings().whyDisabled());
        info.put("maxFps", camera.settings().maxFps());
        info.put("maxBytes", camera.settings().maxMessageBytes());
        return info;
    }

    /** Body {@code {"stream":..,"panel":..,"captureUs":..}}: the page shows that image now. */
    private void shown(Request rq, Response rs, Callback cb) throws IOException {
        long nowUs = Timings.nowMicros();
        byte[] body = Request.asInputStream(rq).readNBytes(MAX_BODY_BYTES);
        String problem;
        try {
            JsonNode n = json.readTree(body);
            String stream = n.path("stream").asText("");
            Panel panel = Panel.ofId(n.path("panel").asText(""));
            long captureUs = n.path("captureUs").asLong(0);
            long latencyUs = nowUs - captureUs;
            if (panel == null || stream.isEmpty()) {
                problem = "stream and panel (source|parts|render) are required";
            } else if (captureUs <= 0 || latencyUs < -CLOCK_SLACK_US || latencyUs > MAX_PLAUSIBLE_LATENCY_US) {
                problem = "captureUs " + captureUs + " is not a recent capture time";
            } else {
                latencyUs = Math.max(0, latencyUs);
                // an ended stream's last image shown later is no live latency: accepted, not recorded
                if (streams.shown(stream, panel, latencyUs / 1000.0) && panel == Panel.RENDER) {
                    // glass-to-glass is capture → the end product on screen
                    glassToGlass.record(latencyUs, TimeUnit.MICROSECONDS);
                }
                send(rs, cb, 204, "text/plain", new byte[0]);
                return;
            }
        } catch (IOException e) {
            problem = "body is not JSON";
        }
        send(rs, cb, 400, "text/plain", (problem + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Server-Sent Events: the stream snapshot whenever it changes (at most every 40 ms). */
    private void events(Response rs, Callback cb) throws IOException {
        if (!eventSlots.tryAcquire()) {
            send(rs, cb, 503, "text/plain", "too many viewers\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            rs.setStatus(200);
            rs.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            rs.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            OutputStream out = Content.Sink.asOutputStream(rs);
            long seen = -1;
            while (!closing) {
                long v = streams.awaitChange(seen, 1000);
                // sent on change and once a second regardless: fps decays and the page sees we are alive
                seen = v;
                byte[] event = ("data: " + json.writeValueAsString(streams.snapshot()) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(event);
                out.flush();
                Thread.sleep(40);
            }
            out.close();
            cb.succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cb.failed(e);
        } finally {
            eventSlots.release();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void send(Response rs, Callback cb, int status, String type, byte[] body) {
        rs.setStatus(status);
        rs.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        rs.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        rs.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (status == 204) {
            cb.succeeded();
            return;
        }
        rs.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        rs.write(true, ByteBuffer.wrap(body), cb);
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("viewer server stop: {}", e.toString());
        }
    }
}
