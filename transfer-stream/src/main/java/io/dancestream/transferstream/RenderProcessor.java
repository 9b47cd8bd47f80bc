package io.dancestream.transferstream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.dancestream.common.config.Mode;
import io.dancestream.common.proto.RenderHistory;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.SourceFraming;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.common.records.RecordSerde;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.records.Timings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Segmentation → Rendered for one task (one partition of dance.segments). Each record is decoded
 * (bad → DLQ), collected into a micro-batch of up to {@code batchSize} frames or
 * {@code maxWait}, passed through the flow limiter right before inference ({@link #fresh}:
 * stale → dropped and counted), rendered with the generator each stream uses at that moment,
 * and emitted in input order. Rejected models queued by the registry are written to the DLQ from here, the only
 * thread that may forward. Each stream's pose normalization statistics ({@link SourceFramings})
 * live in the changelogged {@link TransferStreamApp#FRAMING_STORE}, so they survive a restart.
 */
final class RenderProcessor implements Processor<String, byte[], String, byte[]> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RenderProcessor.class);

    private final TransferSettings settings;
    private final GeneratorRegistry registry;
    private final FrameRenderer renderer;
    private final TransferMeters meters;
    private final RecordSerde<Segmentation> serde = RecordSerdes.segmentation();
    private final List<Pending> pending = new ArrayList<>();
    private ProcessorContext<String, byte[]> context;
    private SourceFramings framings;
    private RenderHistories histories;

    private record Pending(Record<String, byte[]> record, Segmentation segmentation, RecordSource source) {
    }

    RenderProcessor(TransferSettings settings, GeneratorRegistry registry, FrameRenderer renderer, TransferMeters meters) {
        this.settings = settings;
        this.registry = registry;
        this.renderer = renderer;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, byte[]> store = context.getStateStore(TransferStreamApp.FRAMING_STORE);
        framings = new SourceFramings(settings.normalizeFrames(), new StoredFramings(store));
        KeyValueStore<String, byte[]> history = context.getStateStore(TransferStreamApp.HISTORY_STORE);
        histories = new RenderHistories(new StoredHistories(history), settings.continuity());
        if (settings.batchSize() > 1) {
            context.schedule(settings.batchWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
        }
        // model rejections must reach the DLQ even while no segments arrive
        context.schedule(Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, now -> writeRejections());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        writeRejections();
        RecordSource source = context.recordMetadata()
                .map(m -> new RecordSource(m.topic(), m.partition(), m.offset()))
                .orElse(RecordSource.unknown(settings.topics().segments()));
        Segmentation seg;
        try {
            seg = serde.decode(source.topic(), source.partition(), source.offset(), record.value());
        } catch (BadRecordException e) {
            deadLetter(record.key(), record.value(), source, e);
            return;
        }
        if (seg == null) {
            return; // a tombstone carries no frame
        }
        pending.add(new Pending(record, seg, source));
        if (pending.size() >= settings.batchSize()) {
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> batch = new ArrayList<>(pending);
        pending.clear();
        long startUs = Timings.nowMicros();
        long t0 = System.nanoTime();
        // the flow limiter: stale frames never reach the generator
        List<Pending> admitted = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (fresh(p.segmentation())) {
                admitted.add(p);
            } else {
                meters.stage.droppedStale();
            }
        }
        // each frame takes the generator its stream uses now: a swap lands between two frames
        Map<GeneratorModel, List<Integer>> byModel = new IdentityHashMap<>();
        List<Integer> placeholders = new ArrayList<>();
        List<GeneratorModel> leases = new ArrayList<>();
        FrameRenderer.Outcome[] outcomes = new FrameRenderer.Outcome[admitted.size()];
        try {
            for (int i = 0; i < admitted.size(); i++) {
                GeneratorModel m = registry.acquire(admitted.get(i).segmentation().getStreamId());
                if (m == null) {
                    placeholders.add(i);
                } else {
                    leases.add(m);
                    byModel.computeIfAbsent(m, k -> new ArrayList<>()).add(i);
                }
            }
            renderGroup(admitted, placeholders, null, outcomes, startUs);
            byModel.forEach((m, idx) -> renderGroup(admitted, idx, m, outcomes, startUs));
        } finally {
            leases.forEach(GeneratorModel::release);
        }
        long perFrame = admitted.isEmpty() ? 0 : (System.nanoTime() - t0) / admitted.size();
        for (int i = 0; i < admitted.size(); i++) {
            Pending p = admitted.get(i);
            FrameRenderer.Outcome o = outcomes[i];
            if (o.error() != null) {
                deadLetter(p.record().key(), p.record().value(), p.source(), o.error());
                continue;
            }
            long captureUs = o.rendered().getCaptureTimeUs();
            context.forward(new Record<>(p.record().key(), o.rendered().toByteArray(), captureUs / 1000,
                    new RecordHeaders()), TransferStreamApp.RENDERED_SINK);
            meters.stage.processed();
            meters.stage.recordStage(perFrame);
            meters.stage.recordAge(captureUs);
        }
    }

    /**
     * The flow limiter in front of inference. Live: a frame already older than the budget is
     * dropped (the caller counts it) rather than rendered late, so a slow generator cannot build a
     * queue. Replay: every frame is rendered.
     */
    private boolean fresh(Segmentation s) {
        return settings.mode() == Mode.replay
                || Timings.nowMicros() - s.getCaptureTimeUs() <= settings.budget().toNanos() / 1000;
    }

    private void renderGroup(List<Pending> admitted, List<Integer> idx, GeneratorModel model,
                             FrameRenderer.Outcome[] outcomes, long startUs) {
        if (idx.isEmpty()) {
            return;
        }
        List<Segmentation> segs = idx.stream().map(i -> admitted.get(i).segmentation()).toList();
        List<FrameRenderer.Outcome> res;
        try {
            res = renderer.render(segs, model, startUs, framings, histories);
        } catch (RuntimeException e) {
            // the generator itself failed on this batch: the frames go to the DLQ with the reason
            res = segs.stream().map(s -> new FrameRenderer.Outcome(null, e)).toList();
        }
        for (int k = 0; k < idx.size(); k++) {
            outcomes[idx.get(k)] = res.get(k);
        }
    }

    private void writeRejections() {
        for (GeneratorRegistry.Rejection r : registry.drainRejections()) {
            context.forward(r.source().deadLetter(r.error(), r.key(), r.originalValue())
                    .toRecord(context.currentSystemTimeMs()), TransferStreamApp.DLQ_SINK);
        }
    }

    private void deadLetter(String key, byte[] value, RecordSource source, Exception error) {
        meters.stage.failed();
        context.forward(source.deadLetter(error, key, value).toRecord(context.currentSystemTimeMs()),
                TransferStreamApp.DLQ_SINK);
    }

    @Override
    public void close() {
        // frames still batched when the task closes are rendered and sent if the task can still
        // forward; if not, say how many were lost instead of dropping them silently
        if (pending.isEmpty()) {
            return;
        }
        int n = pending.size();
        try {
            flush();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RenderProcessor.class)
                    .warn("{} batched frames not rendered at task close: {}", n, e.getMessage());
            for (int i = 0; i < n; i++) {
                meters.stage.failed();
            }
        }
    }

    /** {@link RenderHistories.Store} over the state store; values are RenderHistory protos. */
    private record StoredHistories(KeyValueStore<String, byte[]> store) implements RenderHistories.Store {
        @Override
        public RenderHistory get(String streamId) {
            byte[] v = store.get(streamId);
            if (v == null) {
                return null;
            }
            try {
                return RenderHistory.parseFrom(v);
            } catch (InvalidProtocolBufferException e) {
                // the stream starts over (its next frame renders as a first frame): not a reason to stop
                LOG.warn("unreadable render history of stream {}, starting over: {}", streamId, e.getMessage());
                return null;
            }
        }

        @Override
        public void put(String streamId, RenderHistory history) {
            store.put(streamId, history.toByteArray());
        }
    }

    /** {@link SourceFramings.Store} over the state store; values are SourceFraming protos. */
    private record StoredFramings(KeyValueStore<String, byte[]> store) implements SourceFramings.Store {
        @Override
        public SourceFraming get(String streamId) {
            byte[] v = store.get(streamId);
            if (v == null) {
                return null;
            }
            try {
                return SourceFraming.parseFrom(v);
            } catch (InvalidProtocolBufferException e) {
                // statistics are rebuilt from the next frames: losing them must not stop the stream
                LOG.warn("unreadable pose normalization statistics of stream {}, starting over: {}", streamId, e.getMessage());
                return null;
            }
        }

        @Override
        public void put(String streamId, SourceFraming framing) {
            store.put(streamId, framing.toByteArray());
        }
    }
}
