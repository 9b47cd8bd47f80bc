package io.dancestream.segmentstream.stream;

import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Streams configuration of the two apps, in one short block each.
 *
 * <p>Live: at_least_once; {@code linger.ms=0}; no record cache; {@code commit.interval.ms}
 * only bounds how much is re-processed after a crash (records are sent at once, never held for
 * a commit). Pairs: exactly_once_v2; its {@code commit.interval.ms} is how long a pair waits
 * for the transaction commit before read_committed readers (the trainer) see it.
 */
public final class StreamsSettings {

    public static final long DEFAULT_LIVE_COMMIT_MS = 1000;
    public static final long DEFAULT_PAIRS_COMMIT_MS = 100;

    private StreamsSettings() {
    }

    public static Properties live(Properties common, Topics topics, int streamThreads, long commitMs, String stateDir,
                                  DanceMetrics metrics) {
        Properties p = base(common, topics, metrics, stateDir);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.prefix() + "segment-stream");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // a slow segmenter: fetch few frames per poll so a rebalance never waits on a long batch
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 20);
        return p;
    }

    public static Properties pairs(Properties common, Topics topics, long commitMs, String stateDir,
                                   DanceMetrics metrics) {
        Properties p = base(common, topics, metrics, stateDir);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.prefix() + "segment-pairs");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // One produce request in flight. A transaction that starts while the previous commit's
        // markers are still being written gets CONCURRENT_TRANSACTIONS on its first batch (seq 0,
        // retried); with several requests in flight the next batch (seq 1) reaches a partition
        // with no producer state, which transactions v2 rejects (KAFKA-18202) with a retriable
        // OutOfOrderSequenceException that the broker logs at ERROR. Retries make it harmless,
        // but an operator cannot tell it from a real sequence error. Pairs are the offline
        // training path (a few frames/s), so one request at a time costs little.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        return p;
    }

    private static Properties base(Properties common, Topics topics, DanceMetrics metrics, String stateDir) {
        Properties p = new Properties();
        p.putAll(common);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 4L * Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * Topics.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Processing.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(DeadLetters.DLQ_TOPIC, topics.dlq());
        if (metrics != null) {
            p.put(DeadLetters.METRICS, metrics);
        }
        if (stateDir != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        }
        return p;
    }
}
