package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServicePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as Debian's docker-compose resolves it, checked against the Prometheus
 * config, ServicePorts and Topics: the three must name the same services, ports and topics.
 */
class DeployConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Integer> METRICS_PORTS = Map.of(
            "ingest", ServicePorts.INGEST_METRICS,
            "ingest-webcam", ServicePorts.INGEST_METRICS,
            "segment-stream", ServicePorts.SEGMENT_STREAM_METRICS,
            "transfer-stream", ServicePorts.TRANSFER_STREAM_METRICS,
            "trainer", ServicePorts.TRAINER_METRICS,
            "viewer", ServicePorts.VIEWER_METRICS);

    private static JsonNode services;

    record Result(int exit, String out) {
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(RepoFiles.root().toFile()).redirectErrorStream(true);
        // resolve the defaults, not whatever the developer's shell exports
        pb.environment().keySet().removeIf(k -> k.startsWith("DANCE_") || k.startsWith("GRAFANA_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @BeforeAll
    static void resolveCompose() throws Exception {
        Result r = run(List.of("docker-compose", "-f", "docker-compose.yml", "config"));
        assertThat(r.exit()).as("docker-compose config:\n" + r.out()).isZero();
        services = YAML.readTree(r.out()).path("services");
    }

    @Test
    void composeHasEveryServiceOfTheIssue() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "topic-init", "ingest", "segment-stream", "transfer-stream", "trainer",
                "viewer", "prometheus", "grafana");

        JsonNode kafka = services.path("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:4.");
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("kafka-broker-api-versions.sh");
        assertThat(kafka.path("environment").path("KAFKA_MESSAGE_MAX_BYTES").asLong()).isEqualTo(Topics.MAX_MESSAGE_BYTES);

        JsonNode trainer = services.path("trainer");
        assertThat(trainer.path("profiles").toString()).contains("train");
        JsonNode gpu = trainer.at("/deploy/resources/reservations/devices/0");
        assertThat(gpu.path("driver").asText()).isEqualTo("nvidia");
        assertThat(gpu.path("capabilities").toString()).contains("gpu");
        assertThat(services.at("/ingest-webcam/devices/0").asText()).endsWith(":/dev/video0");

        for (String svc : METRICS_PORTS.keySet()) {
            JsonNode s = services.path(svc);
            assertThat(s.path("depends_on").path("kafka").path("condition").asText()).as(svc).isEqualTo("service_healthy");
            assertThat(s.path("environment").path("DANCE_BOOTSTRAP_SERVERS").asText()).as(svc).isEqualTo("kafka:9092");
            // configuration by environment only: a command is the subcommand and its source, no flags
            for (JsonNode arg : s.path("command")) {
                assertThat(arg.asText()).as(svc + " command").doesNotStartWith("-");
            }
        }
        JsonNode viewer = services.path("viewer");
        assertThat(viewer.path("environment").path("DANCE_VIEWER_BIND").asText()).isEqualTo("0.0.0.0");
        assertThat(viewer.path("environment").path("DANCE_VIEWER_PORT").asInt()).isEqualTo(ServicePorts.VIEWER_HTTP);
        assertThat(viewer.path("ports").toString()).contains("127.0.0.1:" + ServicePorts.VIEWER_HTTP + ":" + ServicePorts.VIEWER_HTTP);
    }

    @Test
    void prometheusScrapesEveryServiceOnItsComposeMetricsPort() throws Exception {
        JsonNode prom = YAML.readTree(RepoFiles.file("deploy/prometheus/prometheus.yml").toFile());
        Map<String, Integer> targets = new HashMap<>();
        for (JsonNode job : prom.path("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode t : sc.path("targets")) {
                    String[] hostPort = t.asText().split(":");
                    assertThat(hostPort).as(t.asText()).hasSize(2);
                    assertThat(job.path("job_name").asText()).as("job of " + t.asText()).isEqualTo(hostPort[0]);
                    targets.put(hostPort[0], Integer.parseInt(hostPort[1]));
                }
            }
        }
        // every target is a compose service, on the port that service serves /metrics on
        for (Map.Entry<String, Integer> t : targets.entrySet()) {
            JsonNode svc = services.path(t.getKey());
            assertThat(svc.isMissingNode()).as("compose service " + t.getKey()).isFalse();
            assertThat(svc.path("environment").path("DANCE_METRICS_PORT").asInt()).as(t.getKey() + " metrics port")
                    .isEqualTo(t.getValue());
            assertThat(METRICS_PORTS).as("ServicePorts").containsEntry(t.getKey(), t.getValue());
        }
        // every dancestream service is scraped
        List<String> dance = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            if (e.getValue().path("image").asText().startsWith("dancestream:")) {
                dance.add(e.getKey());
            }
        });
        assertThat(dance).isNotEmpty();
        assertThat(targets.keySet()).containsExactlyInAnyOrderElementsOf(dance);

        Result check = run(List.of("promtool", "check", "config", "deploy/prometheus/prometheus.yml"));
        assertThat(check.exit()).as("promtool check config:\n" + check.out()).isZero();
    }

    @Test
    void topicInitCreatesExactlyTheTopicsOfTopicsSpecs() {
        JsonNode init = services.path("topic-init");
        assertThat(init.path("environment").path("DANCE_TOPIC_PREFIX").asText()).isEqualTo(Topics.DEFAULT_PREFIX);
        Map<String, String> compose = new TreeMap<>();
        for (String spec : init.path("environment").path("DANCE_TOPICS").asText().trim().split("\\s+")) {
            String[] f = spec.split(":", 3);
            compose.put(f[0], f[1] + ":" + new TreeSet<>(List.of(f[2].split(","))));
        }
        Map<String, String> code = new TreeMap<>();
        for (Topics.TopicSpec s : new Topics("").specs()) {
            TreeSet<String> configs = new TreeSet<>();
            s.configs().forEach((k, v) -> configs.add(k + "=" + v));
            code.put(s.name(), s.partitions() + ":" + configs);
        }
        assertThat(compose).isEqualTo(code);
    }
}
