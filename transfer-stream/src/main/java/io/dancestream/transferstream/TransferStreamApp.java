package io.dancestream.transferstream;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.StreamsProperties;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.records.RecordSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * transfer-stream in-process: the Streams app with its topology, the generator registry and its
 * background loader. The service command and the demo both start it:
 *
 * <pre>{@code
 * try (TransferStreamApp app = TransferStreamApp.start(clients, TransferSettings.defaults(topics), metrics)) {
 *     app.awaitRunning(Duration.ofSeconds(30));
 *     ...
 * }
 * }</pre>
 *
 * <p>The topology ({@link #topology}), as in docs/design.md:
 *
 * <pre>
 *  segments-source ─► render ─┬─► rendered-sink (dance.rendered)
 *                     │       └─► dlq-sink      (dance.dlq)
 *                     ├── source-framing (store, changelogged: pose normalization statistics per stream)
 *                     └── render-history (store, changelogged: steady crop and last render per stream)
 *  models-source (global) ─► models ─► models-store   (hot swap through the registry)
 * </pre>
 */
public final class TransferStreamApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransferStreamApp.class);

    static final String SEGMENTS_SOURCE = "segments-source";
    static final String RENDER = "render";
    static final String RENDERED_SINK = "rendered-sink";
    static final String DLQ_SINK = "dlq-sink";
    static final String MODELS_SOURCE = "models-source";
    static final String MODELS = "models";
    static final String MODELS_STORE = "models-store";
    /** Per stream id: its pose normalization statistics (SourceFraming). */
    static final String FRAMING_STORE = "source-framing";
    /** Per stream id: its render history (RenderHistory: steady crop filter, last rendered crop). */
    static final String HISTORY_STORE = "render-history";

    private final KafkaStreams streams;
    private final GeneratorRegistry registry;
    private final ExecutorService loader;
    private final Mat plate;
    private final Path stateDir;
    private final CountDownLatch running = new CountDownLatch(1);

    private TransferStreamApp(KafkaClients clients, TransferSettings settings, DanceMetrics metrics) {
        TransferMeters meters = new TransferMeters(metrics);
        this.loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "transfer-model-loader");
            t.setDaemon(true);
            return t;
        });
        this.registry = new GeneratorRegistry(loader, settings.selection(), meters.listener(), ModelProbe.of(settings),
                settings.inferenceThreads());
        this.plate = settings.backgroundPlate() == null ? null : readPlate(settings.backgroundPlate());
        FrameRenderer renderer = new FrameRenderer(settings.jpegQuality(), plate, meters, settings.placement());
        try {
            this.stateDir = Files.createTempDirectory("transfer-stream-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.streams = new KafkaStreams(topology(settings, registry, renderer, meters),
                streamsConfig(clients, settings, stateDir));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                offerStoredModels();
                running.countDown();
            }
            LOG.info("transfer-stream {} -> {}", before, now);
        });
    }

    /** Starts the app; it renders placeholders until the first generator is loaded. */
    public static TransferStreamApp start(KafkaClients clients, TransferSettings settings, DanceMetrics metrics) {
        TransferStreamApp app = new TransferStreamApp(clients, settings, metrics);
        app.streams.start();
        return app;
    }

    /** The topology drawn above: segments are rendered with the generator the registry serves. */
    static Topology topology(TransferSettings settings, GeneratorRegistry registry, FrameRenderer renderer,
                             TransferMeters meters) {
        var topics = settings.topics();
        Topology t = new Topology();
        t.addSource(SEGMENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.segments());
        t.addProcessor(RENDER, () -> new RenderProcessor(settings, registry, renderer, meters), SEGMENTS_SOURCE);
        // in memory, restored from its changelog topic on restart: a few numbers per stream
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FRAMING_STORE), Serdes.String(),
                Serdes.ByteArray()), RENDER);
        // in memory with a changelog as well: one record per stream (a two-frame model's last crop, 49 KB at 128²),
        // rewritten per frame; the changelog is compacted, so a restore reads about one record per stream
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(HISTORY_STORE), Serdes.String(),
                Serdes.ByteArray()), RENDER);
        t.addSink(RENDERED_SINK, topics.rendered(), new StringSerializer(), new ByteArraySerializer(), RENDER);
        t.addSink(DLQ_SINK, topics.dlq(), new StringSerializer(), new ByteArraySerializer(), RENDER);
        t.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                MODELS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.models(), MODELS,
                () -> new ModelsProcessor(topics.models(), registry));
        return t;
    }

    /**
     * On common's {@link StreamsProperties}: defaults &lt; the guarantee of the mode (replay:
     * exactly_once_v2, live: at_least_once) &lt; the user's {@code --kafka-config}.
     */
    static Properties streamsConfig(KafkaClients clients, TransferSettings settings, Path stateDir) {
        Map<String, Object> d = new HashMap<>();
        // only in-memory stores: a private temp state dir keeps instances on one host from locking each other
        d.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        d.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a rendering takes tens of ms; keep the poll batch small so the stale check sees fresh ages
        d.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        d.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // one consumer group per topic prefix, so side-by-side deployments and tests stay apart
        return StreamsProperties.resolve(settings.topics().prefix() + "transfer-stream", d,
                StreamsProperties.guarantee(settings.mode()), clients.common());
    }

    private static Mat readPlate(Path file) {
        try {
            return ImageCodec.decodeColor(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read background plate " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Offers what the global store holds. Streams restores a global store straight from the
     * topic at start; this makes sure every instance also loads the models published before it
     * started (the registry ignores a version it has already seen).
     */
    private void offerStoredModels() {
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    MODELS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            try (var it = store.all()) {
                it.forEachRemaining(kv -> {
                    try {
                        registry.offer(RecordSerdes.modelVersion().deserialize(MODELS_STORE, kv.value),
                                kv.key, kv.value, RecordSource.unknown(MODELS_STORE));
                    } catch (RuntimeException e) {
                        LOG.warn("stored model record {} unusable: {}", kv.key, e.getMessage());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the models store: {}", e.getMessage());
        }
    }

    /** Waits until the app is consuming; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** "name:version" of the generator a stream renders with now, or "none". */
    public String currentGenerator(String streamId) {
        GeneratorModel m = registry.acquire(streamId);
        if (m == null) {
            return FrameRenderer.NO_GENERATOR;
        }
        try {
            return m.label();
        } finally {
            m.release();
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        loader.shutdownNow();
        registry.close();
        if (plate != null) {
            plate.close();
        }
    }
}
