package io.dancestream.segmentstream.stream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.DeadLetterHandlers;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.StreamsProperties;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.records.Timings;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.OnlineRefitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running segment-stream service: the live Streams app and (unless disabled) the pairs
 * Streams app, sharing one segmenter, quantizer and metrics. Like Kafka's own Streams examples,
 * this one class builds each app's topology and its configuration and starts it. Usable
 * in-process (tests, demo, benchmark) and from {@code dance segment-stream}.
 *
 * <p>Two apps, because they need different guarantees. The live app follows {@code --mode}:
 * at_least_once in live mode (nothing waits for a transaction; {@code commit.interval.ms} only
 * bounds how much is re-processed after a crash), exactly_once_v2 in replay mode (every frame
 * segmented once, also across a killed instance). The pairs are the training corpus: always
 * exactly_once_v2, each pair written once (re-delivered segmentations are de-duplicated); its
 * {@code commit.interval.ms} is how long a pair waits for the transaction commit before
 * read_committed readers (the trainer) see it. Both configurations are built on common's
 * {@link StreamsProperties} (its precedence: defaults &lt; the mode's guarantee &lt; the user's
 * {@code --kafka-config}).
 */
public final class SegmentStreamApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentStreamApp.class);

    public static final long DEFAULT_LIVE_COMMIT_MS = 1000;
    public static final long DEFAULT_PAIRS_COMMIT_MS = 100;

    /**
     * @param streamThreads  live stream threads (each segments its partitions' frames)
     * @param liveCommitMs   live commit interval (bounds re-processing after a crash)
     * @param pairsCommitMs  pairs commit interval (delay before read_committed readers see a pair)
     * @param stateDir       Streams state directory, or null for the default
     * @param pairs          run the pairs app
     */
    public record Options(int streamThreads, long liveCommitMs, long pairsCommitMs, String stateDir, boolean pairs) {
        public static Options defaults() {
            return new Options(1, DEFAULT_LIVE_COMMIT_MS, DEFAULT_PAIRS_COMMIT_MS, null, true);
        }

        public Options withStateDir(String dir) {
            return new Options(streamThreads, liveCommitMs, pairsCommitMs, dir, pairs);
        }

        public Options withPairs(boolean on) {
            return new Options(streamThreads, liveCommitMs, pairsCommitMs, stateDir, on);
        }
    }

    private final List<KafkaStreams> apps = new ArrayList<>();

    private SegmentStreamApp() {
    }

    public static SegmentStreamApp start(KafkaClients clients, SegmentStreamConfig cfg, Segmenter segmenter,
                                         MaskQuantizer quantizer, OnlineRefitter refitter, DanceMetrics metrics,
                                         Options opts) {
        SegmentMeters meters = new SegmentMeters(metrics, segmenter.modelId());
        metrics.modelInfo(segmenter.config().variant().modelName(), segmenter.modelId());
        if (cfg.mode() == Mode.live) {
            segmenter.prepareBackgroundSearch(); // live frames search in the background (SegmentProcessor)
        }
        SegmentStreamApp app = new SegmentStreamApp();
        app.apps.add(new KafkaStreams(
                liveTopology(cfg, segmenter, quantizer, refitter, meters, Timings::nowMicros),
                liveConfig(clients.common(), cfg.topics(), cfg.mode(), opts.streamThreads(), opts.liveCommitMs(),
                        opts.stateDir(), metrics)));
        if (opts.pairs()) {
            app.apps.add(new KafkaStreams(pairsTopology(cfg, meters),
                    pairsConfig(clients.common(), cfg.topics(), opts.pairsCommitMs(), opts.stateDir(), metrics)));
        }
        for (KafkaStreams s : app.apps) {
            // processing errors go to the DLQ; anything else (a lost broker) restarts the thread
            s.setUncaughtExceptionHandler(e -> {
                LOG.error("stream thread failed, replacing it: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            s.start();
        }
        return app;
    }

    /**
     * The live app, the data flow of docs/design.md ({@code segment} first drops a stale frame in
     * live mode, see {@link SegmentProcessor}):
     *
     * <pre>
     * frames-source ─► segment ──┐
     *                            ├─► segments-sink
     * masks-source ─► quantize ──┘
     * </pre>
     */
    static Topology liveTopology(SegmentStreamConfig cfg, Segmenter segmenter, MaskQuantizer quantizer,
                                 OnlineRefitter refitter, SegmentMeters meters, LongSupplier nowMicros) {
        Topics t = cfg.topics();
        Topology top = new Topology();
        top.addSource("frames-source", new StringDeserializer(), RecordSerdes.frame(), t.frames());
        top.addProcessor("segment", () -> new SegmentProcessor(segmenter, meters, cfg.mode(), cfg.maxFrameAge(),
                nowMicros), "frames-source");
        top.addSource("masks-source", new StringDeserializer(), RecordSerdes.rawMask(), t.masksRaw());
        top.addProcessor("quantize", () -> new QuantizeProcessor(quantizer, refitter, meters, nowMicros), "masks-source");
        top.addSink("segments-sink", t.segments(), new StringSerializer(), RecordSerdes.segmentation(), "segment",
                "quantize");
        return top;
    }

    /**
     * The pairs app:
     *
     * <pre>
     * frames-source ───┐
     *                  ├─► pair (stores: pair-frames, -segments, -done, -capturing, -progress) ─► pairs-sink
     * segments-source ─┘
     * </pre>
     */
    static Topology pairsTopology(SegmentStreamConfig cfg, SegmentMeters meters) {
        Topics t = cfg.topics();
        Topology top = new Topology();
        top.addSource("frames-source", new StringDeserializer(), RecordSerdes.frame(), t.frames());
        top.addSource("segments-source", new StringDeserializer(), RecordSerdes.segmentation(), t.segments());
        top.addProcessor("pair", () -> new PairJoinProcessor(cfg.training(), cfg.pairWindow(), meters),
                "frames-source", "segments-source");
        for (String store : PairJoinProcessor.STORES) {
            // changelogs hold whole frames: allow the same record size as the topics
            top.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withLoggingEnabled(Map.of("max.message.bytes",
                    String.valueOf(Topics.MAX_MESSAGE_BYTES))), "pair");
        }
        top.addSink("pairs-sink", t.pairs(), new StringSerializer(), RecordSerdes.trainingPair(), "pair");
        return top;
    }

    /** The live app's Streams configuration: the guarantee follows the mode. */
    static Properties liveConfig(Properties common, Topics topics, Mode mode, int streamThreads, long commitMs,
                                 String stateDir, DanceMetrics metrics) {
        Map<String, Object> d = new HashMap<>();
        d.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        d.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // a slow segmenter: fetch few frames per poll so a rebalance never waits on a long batch
        d.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 20);
        return wire(StreamsProperties.resolve(topics.prefix() + "segment-stream", withStateDir(d, stateDir),
                StreamsProperties.guarantee(mode), common), topics, metrics);
    }

    /** The pairs app's Streams configuration: always exactly_once_v2. */
    static Properties pairsConfig(Properties common, Topics topics, long commitMs, String stateDir,
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

    public List<KafkaStreams> streams() {
        return List.copyOf(apps);
    }

    public boolean isRunning() {
        return apps.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    /** Waits until every app is RUNNING; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (isRunning()) {
                return true;
            }
            Thread.sleep(50);
        }
        return isRunning();
    }

    @Override
    public void close() {
        for (KafkaStreams s : apps) {
            s.close(Duration.ofSeconds(30));
        }
    }
}
