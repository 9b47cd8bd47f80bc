package io.dancestream.segmentstream.stream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.DeadLetterHandlers;
import io.dancestream.common.kafka.StreamsProperties;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Streams configuration of the two apps, in one short block each, on common's
 * {@link StreamsProperties} (its precedence: defaults &lt; the mode's guarantee &lt; the user's
 * {@code --kafka-config}).
 *
 * <p>Live app: the guarantee follows {@code --mode}: at_least_once in live mode (nothing waits for
 * a transaction; {@code commit.interval.ms} only bounds how much is re-processed after a crash),
 * exactly_once_v2 in replay mode (every frame segmented once, also across a killed instance).
 * Pairs: always exactly_once_v2 (the training corpus); its {@code commit.interval.ms} is how long
 * a pair waits for the transaction commit before read_committed readers (the trainer) see it.
 */
public final class StreamsSettings {

    public static final long DEFAULT_LIVE_COMMIT_MS = 1000;
    public static final long DEFAULT_PAIRS_COMMIT_MS = 100;

    private StreamsSettings() {
    }

    public static Properties live(Properties common, Topics topics, Mode mode, int streamThreads, long commitMs,
                                  String stateDir, DanceMetrics metrics) {
        Map<String, Object> d = new HashMap<>();
        d.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        d.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // a slow segmenter: fetch few frames per poll so a rebalance never waits on a long batch
        d.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 20);
        return wire(StreamsProperties.resolve(topics.prefix() + "segment-stream", withStateDir(d, stateDir),
                StreamsProperties.guarantee(mode), common), topics, metrics);
    }

    public static Properties pairs(Properties common, Topics topics, long commitMs, String stateDir,
                                   DanceMetrics metrics) {
        Map<String, Object> d = new HashMap<>();
        d.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        d.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // One produce request in flight. A transaction that starts while the previous commit's
        // markers are still being written gets CONCURRENT_TRANSACTIONS on its first batch (seq 0,
        // retried); with several requests in flight the next batch (seq 1) reaches a partition
        // with no producer state, which transactions v2 rejects (KAFKA-18202) with a retriable
        // OutOfOrderSequenceException that the broker logs at ERROR. Retries make it harmless,
        // but an operator cannot tell it from a real sequence error. Pairs are the offline
        // training path (a few frames/s), so one request at a time costs little.
        d.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        return wire(StreamsProperties.resolve(topics.prefix() + "segment-pairs", withStateDir(d, stateDir),
                StreamsConfig.EXACTLY_ONCE_V2, common), topics, metrics);
    }

    private static Map<String, Object> withStateDir(Map<String, Object> d, String stateDir) {
        if (stateDir != null) {
            d.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        }
        return d;
    }

    /** The dead-letter handlers and what they are handed: this app's wiring, not user settings. */
    private static Properties wire(Properties p, Topics topics, DanceMetrics metrics) {
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        p.put(DeadLetterHandlers.DLQ_TOPIC, topics.dlq());
        if (metrics != null) {
            p.put(DeadLetterHandlers.METRICS, metrics);
        }
        return p;
    }
}
