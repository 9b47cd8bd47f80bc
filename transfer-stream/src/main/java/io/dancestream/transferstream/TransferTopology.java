package io.dancestream.transferstream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The transfer-stream topology, as in docs/design.md:
 *
 * <pre>
 *  segments-source ─► render ─┬─► rendered-sink (dance.rendered)
 *                     │       └─► dlq-sink      (dance.dlq)
 *                     ├── source-framing (store, changelogged: pose normalization statistics per stream)
 *                     └── render-history (store, changelogged: steady crop and last render per stream)
 *  models-source (global) ─► models ─► models-store   (hot swap through the registry)
 * </pre>
 */
final class TransferTopology {

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

    private TransferTopology() {
    }

    static Topology build(TransferSettings settings, GeneratorRegistry registry, FrameRenderer renderer,
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
}
