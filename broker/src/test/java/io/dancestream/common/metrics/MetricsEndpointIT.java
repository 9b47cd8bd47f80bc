package io.dancestream.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.records.Timings;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class MetricsEndpointIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsOfARunningServicePassPromtoolAndCarryTheDanceMeters(EmbeddedKafkaBroker broker) throws Exception {
        try (ServiceRuntime rt = ServiceRuntime.start("metrics-it", broker.clients(), TestTopics.unique("metrics"),
                "127.0.0.1", 0);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(rt.clients().producer("metrics-it"))) {
            rt.bind(producer);
            var stage = rt.metrics().stage("ingest");
            stage.processed();
            stage.droppedStale();
            stage.recordStage(TimeUnit.MILLISECONDS.toNanos(12));
            stage.recordAge(Timings.nowMicros() - 150_000);
            rt.metrics().glassToGlass("viewer").record(180, TimeUnit.MILLISECONDS);
            rt.metrics().modelInfo("generator", "v1");
            rt.metrics().modelInfo("generator", "v2");
            rt.metrics().trainLoss("l1", 0.25);
            rt.metrics().trainSteps().increment(3);

            String body = get(rt.metricsServer().port(), "/metrics").body();
            assertThat(body)
                    .contains("dance_frames_total{outcome=\"processed\",service=\"metrics-it\",stage=\"ingest\"} 1.0")
                    .contains("dance_frames_total{outcome=\"dropped_stale\",service=\"metrics-it\",stage=\"ingest\"} 1.0")
                    .contains("dance_frames_total{outcome=\"failed\",service=\"metrics-it\",stage=\"ingest\"} 0.0")
                    .contains("dance_stage_seconds_bucket{")
                    .contains("dance_frame_age_seconds_bucket{service=\"metrics-it\",stage=\"ingest\",le=\"0.2\"} 1")
                    .contains("dance_frame_age_seconds_bucket{service=\"metrics-it\",stage=\"ingest\",le=\"0.1\"} 0")
                    .contains("dance_glass_to_glass_seconds_count{service=\"metrics-it\",sink=\"viewer\"} 1")
                    .contains("dance_model_info{model=\"generator\",service=\"metrics-it\",version=\"v2\"} 1")
                    .doesNotContain("version=\"v1\"")
                    .contains("dance_train_loss{kind=\"l1\",service=\"metrics-it\"} 0.25")
                    .contains("dance_train_steps_total{service=\"metrics-it\"} 3.0")
                    .contains("jvm_memory_used_bytes")
                    .contains("kafka_producer_");
            assertThat(promtoolCheck(body)).as("promtool check metrics output").isEmpty();
        }
    }

    @Test
    void healthIsUpOnlyWhenKafkaIsReachableAndTheStageRuns(EmbeddedKafkaBroker broker) throws Exception {
        try (ServiceRuntime rt = ServiceRuntime.start("health-it", broker.clients(), TestTopics.unique("health"),
                "127.0.0.1", 0)) {
            int port = rt.metricsServer().port();
            HttpResponse<String> starting = get(port, "/health");
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).contains("kafka=reachable").contains("stage=stopped");
            rt.running(true);
            Thread.sleep(3100); // the health result is cached for 3 s
            HttpResponse<String> up = get(port, "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).startsWith("UP");
        }
        try (MetricsServer ms = new MetricsServer("nokafka").start("127.0.0.1", 0);
             KafkaHealth h = new KafkaHealth(io.dancestream.common.kafka.KafkaClients.load("127.0.0.1:1", null).common(),
                     () -> true)) {
            ms.healthCheck(h);
            HttpResponse<String> down = get(ms.port(), "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("kafka=unreachable");
        }
    }

    /** Runs Prometheus's own linter on the exposition; returns its complaints (empty = valid). */
    private static String promtoolCheck(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool exit code; output: " + out).isZero();
        return out.trim();
    }
}
