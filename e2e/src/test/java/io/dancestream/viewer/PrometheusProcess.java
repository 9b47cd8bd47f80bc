package io.dancestream.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dancestream.common.net.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real Prometheus server (Debian's {@code prometheus}) scraping in-process services. */
final class PrometheusProcess implements AutoCloseable {

    static final String BINARY = "/usr/bin/prometheus";

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    /** Starts Prometheus scraping {@code jobs} (job name → host:port) every second. */
    PrometheusProcess(Map<String, String> jobs) throws IOException {
        dir = Files.createTempDirectory("viewer-prometheus-");
        StringBuilder cfg = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        jobs.forEach((job, target) -> cfg.append("  - job_name: ").append(job).append('\n')
                .append("    static_configs:\n      - targets: [\"").append(target).append("\"]\n"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, cfg);
        port = FreePorts.pick();
        process = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("prometheus.log"));
    }

    /** An instant query's result vector ({@code data.result}); an empty array when Prometheus is not up yet. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> res;
        try {
            res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException notYet) {
            return json.createArrayNode();
        }
        JsonNode body = json.readTree(res.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus refused " + promql + ": " + res.body());
        }
        return body.path("data").path("result");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
