package io.dancestream.common.kafka;

import io.dancestream.common.config.Mode;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one Streams settings base of every dancestream Streams app, with one precedence rule:
 *
 * <pre>
 *   shared defaults  &lt;  the app's defaults  &lt;  the guarantee its --mode implies  &lt;  the user's --kafka-config
 * </pre>
 *
 * so a setting the user writes in the client config file (SASL, {@code processing.guarantee},
 * {@code num.standby.replicas}, {@code session.timeout.ms}, ...) always wins. Only the wiring the
 * app needs to run at all is set after that: its {@code application.id} (one consumer group per
 * app and topic prefix; segment-stream runs two apps, which a single id from a file would merge)
 * and objects the app hands to its own handlers (the DLQ topic and meters).
 *
 * <p>Producers keep Kafka's own defaults of {@code acks=all} and idempotence; nothing here sets
 * either ({@code StreamsPropertiesTest} checks the producer config Streams derives).
 */
public final class StreamsProperties {

    /**
     * One standby copy of every state store: when an instance dies, another one that already
     * holds the state takes its tasks over instead of replaying the changelog. With a single
     * instance no standby is placed, so it costs nothing there.
     */
    public static final int DEFAULT_STANDBY_REPLICAS = 1;

    private StreamsProperties() {
    }

    /** replay: every frame processed and written once ({@code exactly_once_v2}); live: {@code at_least_once}. */
    public static String guarantee(Mode mode) {
        return mode == Mode.replay ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE;
    }

    /**
     * The Streams config of one app.
     *
     * @param applicationId the app's consumer group / application id (wiring: not taken from {@code user})
     * @param appDefaults   the app's own defaults (its command-line tuning options among them)
     * @param guarantee     {@code processing.guarantee} the app's mode implies
     * @param user          the user's client config ({@code --kafka-config} plus the bootstrap address)
     */
    public static Properties resolve(String applicationId, Map<?, ?> appDefaults, String guarantee, Properties user) {
        Properties p = shared();
        p.putAll(appDefaults);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.putAll(user);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        return p;
    }

    /** What every dancestream Streams app wants unless it or the user says otherwise. */
    static Properties shared() {
        Properties p = new Properties();
        // frames are latency-bound: no record cache, no producer batching wait (Streams defaults linger.ms to 100)
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 4L * Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, DEFAULT_STANDBY_REPLICAS);
        // processing errors go to the dead-letter handlers; opt in to the Kafka 5.0 default now
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return p;
    }
}
