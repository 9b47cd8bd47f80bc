package io.dancestream.common.config;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import java.nio.file.Path;
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

    public KafkaOptions() {
    }

    /** For code that builds options without a command line (tests, demo). */
    public KafkaOptions(String bootstrapServers, Path kafkaConfig, String topicPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.kafkaConfig = kafkaConfig;
        this.topicPrefix = topicPrefix;
    }

    public Topics topics() {
        return new Topics(topicPrefix == null ? Topics.DEFAULT_PREFIX : topicPrefix);
    }

    public KafkaClients clients() {
        String bootstrap = bootstrapServers != null ? bootstrapServers : System.getenv("DANCE_BOOTSTRAP_SERVERS");
        return KafkaClients.load(bootstrap, kafkaConfig);
    }

    public String topicPrefix() {
        return topicPrefix;
    }
}
