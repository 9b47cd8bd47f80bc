package io.dancestream.bench.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dancestream.viewer.Panel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What viewer.js does, in Java, for the benchmark: follow /events, fetch the newest image of
 * each panel of one stream (one request in flight per panel) and report it shown. It measures
 * the viewer's delivery path without a browser's decode and paint.
 */
final class PageClient implements AutoCloseable {

    private final String base;
    private final String stream;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Panel, AtomicLong> wanted = new ConcurrentHashMap<>();
    private final Map<Panel, AtomicLong> shownCount = new ConcurrentHashMap<>();
    private final Thread events;
    private final Thread[] loaders = new Thread[Panel.values().length];
    private volatile boolean stop;

    PageClient(int port, String stream) {
        this.base = "http://127.0.0.1:" + port;
        this.stream = stream;
        for (Panel p : Panel.values()) {
            wanted.put(p, new AtomicLong(-1));
            shownCount.put(p, new AtomicLong());
            loaders[p.ordinal()] = new Thread(() -> load(p), "page-" + p.id());
            loaders[p.ordinal()].setDaemon(true);
        }
        events = new Thread(this::follow, "page-events");
        events.setDaemon(true);
    }

    PageClient start() {
        events.start();
        for (Thread t : loaders) {
            t.start();
        }
        return this;
    }

    long shown(Panel p) {
        return shownCount.get(p).get();
    }

    private void follow() {
        try {
            HttpResponse<java.io.InputStream> res = http.send(HttpRequest.newBuilder(URI.create(base + "/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while (!stop && (line = r.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        for (JsonNode s : json.readTree(line.substring(6))) {
                            if (stream.equals(s.path("stream").asText())) {
                                for (Panel p : Panel.values()) {
                                    wanted.get(p).set(s.path("panels").path(p.id()).path("seq").asLong(-1));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    private void load(Panel p) {
        long shownSeq = -1;
        String q = "stream=" + URLEncoder.encode(stream, StandardCharsets.UTF_8) + "&panel=" + p.id();
        while (!stop) {
            try {
                long want = wanted.get(p).get();
                if (want < 0 || want == shownSeq) {
                    Thread.sleep(2);
                    continue;
                }
                HttpResponse<byte[]> img = http.send(HttpRequest.newBuilder(URI.create(base + "/image?" + q)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (img.statusCode() != 200) {
                    continue;
                }
                shownSeq = Long.parseLong(img.headers().firstValue("X-Seq").orElse("-1"));
                String captureUs = img.headers().firstValue("X-Capture-Us").orElse("0");
                http.send(HttpRequest.newBuilder(URI.create(base + "/shown"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":" + json.writeValueAsString(stream)
                                + ",\"panel\":\"" + p.id() + "\",\"captureUs\":" + captureUs + "}"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                shownCount.get(p).incrementAndGet();
            } catch (IOException e) {
                // the viewer is going away
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        events.interrupt();
        for (Thread t : loaders) {
            t.interrupt();
            t.join(2000);
        }
    }
}
