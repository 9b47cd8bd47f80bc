package io.dancestream.segmentstream.stream;

import io.dancestream.common.kafka.Topics;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.OnlineRefitter;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The two topologies of segment-stream, each readable as the data flow of docs/design.md. They run as
 * two Streams apps because they need different guarantees: the live path follows --mode
 * (at_least_once in live mode, where nothing may wait for a transaction; exactly_once_v2 in
 * replay mode), the pairs are the training corpus
 * (exactly_once_v2, each pair written once; re-delivered segmentations are de-duplicated).
 */
public final class SegmentTopologies {

    private SegmentTopologies() {
    }

    /**
     * <pre>
     * frames-source ─► drop-stale ─► segment ──┐
     *                                         ├─► segments-sink
     * masks-source ─► quantize ───────────────┘
     * </pre>
     */
    public static Topology live(SegmentStreamConfig cfg, Segmenter segmenter, MaskQuantizer quantizer,
                                OnlineRefitter refitter, SegmentMeters meters, LongSupplier nowMicros) {
        Topics t = cfg.topics();
        Topology top = new Topology();
        top.addSource("frames-source", new StringDeserializer(), RecordSerdes.frame(), t.frames());
        top.addProcessor("drop-stale", () -> new DropStaleProcessor(cfg.mode(), cfg.maxFrameAge(), nowMicros,
                meters.stage(SegmentMeters.SEGMENT)), "frames-source");
        top.addProcessor("segment", () -> new SegmentProcessor(segmenter, meters, nowMicros), "drop-stale");
        top.addSource("masks-source", new StringDeserializer(), RecordSerdes.rawMask(), t.masksRaw());
        top.addProcessor("quantize", () -> new QuantizeProcessor(quantizer, refitter, meters, nowMicros), "masks-source");
        top.addSink("segments-sink", t.segments(), new StringSerializer(), RecordSerdes.segmentation(), "segment",
                "quantize");
        return top;
    }

    /**
     * <pre>
     * frames-source ───┐
     *                  ├─► pair (stores: pair-frames, -segments, -done, -capturing, -progress) ─► pairs-sink
     * segments-source ─┘
     * </pre>
     */
    public static Topology pairs(SegmentStreamConfig cfg, SegmentMeters meters) {
        Topics t = cfg.topics();
        Topology top = new Topology();
        top.addSource("frames-source", new StringDeserializer(), RecordSerdes.frame(), t.frames());
        top.addSource("segments-source", new StringDeserializer(), RecordSerdes.segmentation(), t.segments());
        top.addProcessor("pair", () -> new PairJoinProcessor(cfg.training(), cfg.pairWindow(), meters),
                "frames-source", "segments-source");
        for (String store : PairJoinProcessor.STORES) {
            // changelogs hold whole frames: allow the same record size as the topics
            top.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withLoggingEnabled(java.util.Map.of("max.message.bytes",
                    String.valueOf(Topics.MAX_MESSAGE_BYTES))), "pair");
        }
        top.addSink("pairs-sink", t.pairs(), new StringSerializer(), RecordSerdes.trainingPair(), "pair");
        return top;
    }
}
