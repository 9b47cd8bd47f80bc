package io.dancestream.common.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client properties of one service: the user's client config file (passed through
 * untouched, so SASL/SSL need no code) plus the bootstrap address, and the producer/consumer
 * settings dancestream relies on.
 */
public final class KafkaClients {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    private final Properties base;

    private KafkaClients(Properties base) {
        this.base = base;
    }

    /**
     * @param bootstrap explicit bootstrap servers, or null to take the file's, else localhost:9092
     * @param configFile Kafka client properties file, or null
     */
    public static KafkaClients load(String bootstrap, Path configFile) {
        Properties props = new Properties();
        if (configFile != null) {
            try (Reader r = Files.newBufferedReader(configFile)) {
                props.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Kafka client config " + configFile + ": " + e.getMessage(), e);
            }
        }
        if (bootstrap != null && !bootstrap.isBlank()) {
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        }
        props.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        return new KafkaClients(props);
    }

    public static KafkaClients of(Properties props) {
        Properties copy = new Properties();
        copy.putAll(props);
        return new KafkaClients(copy);
    }

    public String bootstrapServers() {
        return base.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The client config shared by every client (admin, producer, consumer, streams). */
    public Properties common() {
        Properties p = new Properties();
        p.putAll(base);
        return p;
    }

    /**
     * A producer that loses nothing it acknowledged (acks=all, idempotent) and sends at once
     * (linger.ms=0: frames are latency-bound, batching gains nothing on single large records).
     */
    public Properties producer(String clientId) {
        Properties p = common();
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** A consumer of raw values (decode with {@link io.dancestream.common.records.RecordCodec}). */
    public Properties consumer(String groupId) {
        Properties p = common();
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * Topics.MAX_MESSAGE_BYTES);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
