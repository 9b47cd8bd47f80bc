package io.dancestream.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dancestream.common.records.Timings;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's HTTP side (JDK HttpServer, no framework): the page and its two assets, a
 * Server-Sent Events feed of stream state, the latest image per stream and panel, and the
 * page's "shown" reports from which glass-to-glass latency is recorded.
 *
 * <p>Glass-to-glass is measured without trusting the browser's clock: the image response
 * carries the capture time, the page posts it back once the image is decoded and on screen,
 * and the server takes now − capture on its own clock (the same clock family as the capture
 * time, and it includes the path back, so it errs high, never low).
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
    private final HttpServer http;
    private final ExecutorService pool;
    private volatile boolean closing;

    /**
     * @param badImage called when a record's image turns out unshowable as it is rendered for a
     *                 page (counted as the viewer stage's failure)
     */
    public ViewerHttpServer(LiveStreams streams, Timer glassToGlass, Runnable badImage, String bind, int port) {
        this.streams = streams;
        this.glassToGlass = glassToGlass;
        this.badImage = badImage;
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the viewer on " + bind + ":" + port + " (" + e.getMessage()
                    + "): choose another --port", e);
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(MAX_EVENT_CLIENTS + 16, r -> {
            Thread t = new Thread(r, "viewer-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
    }

    public ViewerHttpServer start() {
        http.start();
        LOG.info("viewer at http://{}:{}/", http.getAddress().getHostString(), port());
        return this;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (IllegalArgumentException e) {
                // a malformed query (e.g. a broken %-escape): the client's mistake, answered as such
                send(ex, 400, "text/plain", ("bad request: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the browser went away mid-response: nothing to answer
            LOG.debug("client gone: {}", e.getMessage());
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/events" -> requireGet(ex, method, () -> events(ex));
            case "/image" -> requireGet(ex, method, () -> image(ex));
            case "/api/streams" -> requireGet(ex, method,
                    () -> send(ex, 200, "application/json", json.writeValueAsBytes(streams.snapshot())));
            case "/shown" -> {
                if (!"POST".equals(method)) {
                    send(ex, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    shown(ex);
                }
            }
            default -> requireGet(ex, method, () -> asset(ex, path));
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void requireGet(HttpExchange ex, String method, Action action) throws IOException {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            send(ex, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        action.run();
    }

    private void asset(HttpExchange ex, String rawPath) throws IOException {
        StaticAssets.Asset a = assets.get(rawPath);
        if (a == null) {
            send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, a.contentType(), a.bytes());
    }

    private void image(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        Panel panel = Panel.ofId(q.getOrDefault("panel", ""));
        PanelImage img = panel == null ? null : streams.latest(q.getOrDefault("stream", ""), panel);
        if (img == null) {
            send(ex, 404, "text/plain", "no such stream or panel\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] bytes;
        try {
            bytes = img.bytes();
        } catch (PanelImages.BadImageException e) {
            badImage.run();
            LOG.warn("cannot show {} of stream {} seq {}: {}", panel.id(), q.get("stream"), img.seq(), e.getMessage());
            send(ex, 422, "text/plain", ("unshowable image: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.getResponseHeaders().set("X-Seq", Long.toString(img.seq()));
        ex.getResponseHeaders().set("X-Capture-Us", Long.toString(img.captureTimeUs()));
        send(ex, 200, img.contentType(), bytes);
    }

    /** Body {@code {"stream":..,"panel":..,"captureUs":..}}: the page shows that image now. */
    private void shown(HttpExchange ex) throws IOException {
        long nowUs = Timings.nowMicros();
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY_BYTES);
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
                send(ex, 204, "text/plain", new byte[0]);
                return;
            }
        } catch (IOException e) {
            problem = "body is not JSON";
        }
        send(ex, 400, "text/plain", (problem + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Server-Sent Events: the stream snapshot whenever it changes (at most every 40 ms). */
    private void events(HttpExchange ex) throws IOException {
        if (!eventSlots.tryAcquire()) {
            send(ex, 503, "text/plain", "too many viewers\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean noBody = status == 204 || "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        http.stop(0);
        pool.shutdownNow();
    }
}
