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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * transfer-stream in-process: the Streams app, the generator registry and its background loader.
 * The service command and the demo both start it:
 *
 * <pre>{@code
 * try (TransferStreamApp app = TransferStreamApp.start(clients, TransferSettings.defaults(topics), metrics)) {
 *     app.awaitRunning(Duration.ofSeconds(30));
 *     ...
 * }
 * }</pre>
 */
public final class TransferStreamApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransferStreamApp.class);

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
        this.streams = new KafkaStreams(TransferTopology.build(settings, registry, renderer, meters),
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
                StreamsProperties.guarantee(settings.policy().mode()), clients.common());
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
                    TransferTopology.MODELS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            try (var it = store.all()) {
                it.forEachRemaining(kv -> {
                    try {
                        registry.offer(RecordSerdes.modelVersion().deserialize(TransferTopology.MODELS_STORE, kv.value),
                                kv.key, kv.value, RecordSource.unknown(TransferTopology.MODELS_STORE));
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
