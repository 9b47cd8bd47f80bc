package io.dancestream.common.config;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The Kafka options every command shares (a picocli mixin). Each option falls back to its
 * {@code DANCE_*} environment variable, then to the default.
 */
public class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env DANCE_BOOTSTRAP_SERVERS; else bootstrap.servers of "
                    + "--kafka-config; else localhost:9092).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:DANCE_KAFKA_CONFIG}",
            description = "Kafka client properties passed to every client untouched, e.g. SASL/SSL "
                    + "(env DANCE_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", paramLabel = "P",
            defaultValue = "${env:DANCE_TOPIC_PREFIX:-" + Topics.DEFAULT_PREFIX + "}",
            description = "Prefix of every topic name (env DANCE_TOPIC_PREFIX; default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", paramLabel = "N",
            defaultValue = "${env:DANCE_PARTITIONS:-" + Topics.DEFAULT_PARTITIONS + "}",
            description = "Partitions of the per-stream topics this service creates when they are missing (env "
                    + "DANCE_PARTITIONS; default: ${DEFAULT-VALUE}). It caps how many instances of a streams app "
                    + "share the work: one partition has one owner. Existing topics are left as they are.")
    int partitions = Topics.DEFAULT_PARTITIONS;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "${env:DANCE_REPLICATION_FACTOR:-0}",
            description = "Replicas of each topic this service creates (env DANCE_REPLICATION_FACTOR; default 0 = "
                    + "one per broker, at most 3). Topics with 3 or more replicas get min.insync.replicas=2.")
    int replicationFactor = TopicAdmin.AUTO;

    public Topics topics() {
        return new Topics(topicPrefix == null ? Topics.DEFAULT_PREFIX : topicPrefix);
    }

    public KafkaClients clients() {
        String bootstrap = bootstrapServers != null ? bootstrapServers : System.getenv("DANCE_BOOTSTRAP_SERVERS");
        return KafkaClients.load(bootstrap, kafkaConfig);
    }

    /** The topics to ensure at start: every topic of {@link #topics()} with {@code --partitions}. */
    public List<Topics.TopicSpec> topicSpecs() {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, is " + partitions);
        }
        return topics().specs(partitions);
    }

    /** {@code --replication-factor}, {@link TopicAdmin#AUTO} for one per broker (at most 3). */
    public int replicationFactor() {
        if (replicationFactor < 0) {
            throw new IllegalArgumentException("--replication-factor must be positive (or 0 for automatic), is "
                    + replicationFactor);
        }
        return replicationFactor;
    }

    public String topicPrefix() {
        return topicPrefix;
    }
}
