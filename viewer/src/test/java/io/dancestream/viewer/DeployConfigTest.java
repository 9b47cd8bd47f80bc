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
    void prometheusFindsEveryInstanceOfEveryServiceOnItsComposeMetricsPort() throws Exception {
        JsonNode prom = YAML.readTree(RepoFiles.file("deploy/prometheus/prometheus.yml").toFile());
        Map<String, Integer> targets = new HashMap<>();
        for (JsonNode job : prom.path("scrape_configs")) {
            assertThat(job.path("static_configs").isMissingNode()).as(job.path("job_name") + ": a fixed target "
                    + "would miss the instances of docker-compose up --scale").isTrue();
            for (JsonNode sd : job.path("dns_sd_configs")) {
                // type A: Docker's DNS answers a service name with one address per container
                assertThat(sd.path("type").asText()).as(job.path("job_name").asText()).isEqualTo("A");
                for (JsonNode name : sd.path("names")) {
                    assertThat(job.path("job_name").asText()).as("job of " + name.asText()).isEqualTo(name.asText());
                    targets.put(name.asText(), sd.path("port").asInt());
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
    void theClusterProfileRunsThreeBrokersAndTheStreamsAppsScale() throws Exception {
        Result r = run(List.of("docker-compose", "-f", "docker-compose.yml", "--env-file", "deploy/cluster.env", "config"));
        assertThat(r.exit()).as("docker-compose --env-file deploy/cluster.env config:\n" + r.out()).isZero();
        JsonNode cluster = YAML.readTree(r.out()).path("services");
        String voters = "1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093";
        List<String> brokers = List.of("kafka", "kafka-2", "kafka-3");
        for (int i = 0; i < brokers.size(); i++) {
            JsonNode env = cluster.path(brokers.get(i)).path("environment");
            assertThat(env.path("KAFKA_NODE_ID").asInt()).as(brokers.get(i)).isEqualTo(i + 1);
            assertThat(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText()).as(brokers.get(i)).isEqualTo(voters);
            assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
            assertThat(env.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(3);
            assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt()).isEqualTo(2);
            assertThat(env.path("KAFKA_MIN_INSYNC_REPLICAS").asInt()).isEqualTo(2);
            assertThat(env.path("CLUSTER_ID").asText()).isEqualTo(
                    cluster.path("kafka").path("environment").path("CLUSTER_ID").asText());
            if (i > 0) {
                assertThat(cluster.path(brokers.get(i)).path("profiles").toString()).contains("cluster");
            }
        }
        JsonNode init = cluster.path("topic-init").path("environment");
        assertThat(init.path("DANCE_TOPIC_REPLICATION").asInt()).isEqualTo(3);
        assertThat(init.path("DANCE_TOPIC_MIN_ISR").asInt()).isEqualTo(2);
        for (String svc : List.of("segment-stream", "transfer-stream")) {
            JsonNode s = cluster.path(svc);
            assertThat(s.path("environment").path("DANCE_BOOTSTRAP_SERVERS").asText()).as(svc)
                    .isEqualTo("kafka:9092,kafka-2:9092,kafka-3:9092");
            assertThat(s.path("environment").path("DANCE_REPLICATION_FACTOR").asInt()).as(svc).isEqualTo(3);
            // --scale needs services without a fixed name or host port (Compose 1.x ignores deploy.replicas)
            assertThat(s.path("container_name").isMissingNode()).as(svc + " container_name").isTrue();
            assertThat(s.path("ports").isMissingNode()).as(svc + " host ports").isTrue();
        }
        // the single-node default stays single-node
        assertThat(services.path("kafka").path("environment").path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                .isEqualTo("1@kafka:9093");
        assertThat(services.path("kafka").path("environment").path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asInt())
                .isEqualTo(1);
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
