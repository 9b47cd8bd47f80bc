package io.dancestream.segmentstream.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.Timings;
import java.nio.ByteBuffer;
import java.time.Duration;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Node {@code pair}: joins frames with segmentations of the same stream and seq into
 * TrainingPairs, in either arrival order, within a window of record (capture) time. A pair
 * carries its segmentation's track id, so the trainer can pick one person's track.
 *
 * <p>A buffered frame waits for its segmentation as long as that stream's segmentations have not
 * moved more than the window past it (progress = the newest capture time among the stream's
 * segmentations), not as long as stream time allows: a training stream ingested at max pace
 * reaches this node minutes of capture time ahead of BlazePose, and evicting its frames by stream
 * time would silently lose their pairs. A frame the stream's segmentations passed is counted
 * ({@code outcome="unpaired_frame"}: the live path dropped it as stale, or it failed); a hard
 * retention of {@link #frameRetention} stream time bounds the buffer if segmentation stops.
 *
 * <ul>
 *   <li>Model segmentations pair only for training streams (header {@code dance.train=1} or
 *       configured ids); captured masks always pair — capturing a mask is asking for a pair.
 *   <li>Frames are buffered only for training streams and streams that sent a captured mask,
 *       so ordinary live streams cost the join nothing.
 *   <li>A segmentation that never meets its frame is evicted after the window and counted
 *       ({@code outcome="unpaired"}); one already paired (re-delivered after the at-least-once
 *       live path restarted) is counted as {@code duplicate} and not paired again.
 * </ul>
 * The stores are changelogged and the app runs exactly_once_v2, so a pair is written once.
 */
final class PairJoinProcessor implements Processor<String, Message, String, TrainingPair> {

    static final String FRAMES = "pair-frames";
    static final String SEGMENTS = "pair-segments";
    static final String DONE = "pair-done";
    static final String CAPTURING = "pair-capturing";
    static final String PROGRESS = "pair-progress";
    static final String[] STORES = {FRAMES, SEGMENTS, DONE, CAPTURING, PROGRESS};

    private static final StringSerializer KEYS = new StringSerializer();

    private final TrainingStreams training;
    private final long windowMs;
    private final long frameRetentionMs;
    private final SegmentMeters meters;
    private ProcessorContext<String, TrainingPair> context;
    private KeyValueStore<String, byte[]> frames;
    private KeyValueStore<String, byte[]> segments;
    private KeyValueStore<String, byte[]> done;
    private KeyValueStore<String, byte[]> capturing;
    private KeyValueStore<String, byte[]> progress;

    PairJoinProcessor(TrainingStreams training, Duration window, SegmentMeters meters) {
        this.training = training;
        this.windowMs = window.toMillis();
        this.frameRetentionMs = frameRetention(window).toMillis();
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, TrainingPair> context) {
        this.context = context;
        this.frames = context.getStateStore(FRAMES);
        this.segments = context.getStateStore(SEGMENTS);
        this.done = context.getStateStore(DONE);
        this.capturing = context.getStateStore(CAPTURING);
        this.progress = context.getStateStore(PROGRESS);
        context.schedule(Duration.ofMillis(Math.max(100, windowMs / 10)), PunctuationType.STREAM_TIME, this::evict);
    }

    /** How long (stream time) a frame may wait for a segmentation that makes no progress at all. */
    static Duration frameRetention(Duration window) {
        return Duration.ofMillis(Math.max(10 * window.toMillis(), Duration.ofMinutes(10).toMillis()));
    }

    static String seqKey(String stream, long seq) {
        return stream + "|" + String.format(Locale.ROOT, "%019d", seq);
    }

    @Override
    public void process(Record<String, Message> record) {
        if (record.value() instanceof Frame f) {
            onFrame(record, f);
        } else if (record.value() instanceof Segmentation s) {
            onSegmentation(record, s);
        }
    }

    private void onFrame(Record<String, Message> record, Frame f) {
        String stream = f.getStreamId();
        if (!training.isTraining(stream, record.headers()) && capturing.get(stream) == null) {
            return;
        }
        String key = seqKey(stream, f.getSeq());
        frames.put(key, stamped(record.timestamp(), f.toByteArray()));
        List<KeyValue<String, byte[]>> waiting = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = segments.prefixScan(key + "|", KEYS)) {
            it.forEachRemaining(waiting::add);
        }
        for (KeyValue<String, byte[]> kv : waiting) {
            segments.delete(kv.key);
            emit(f, parseSegmentation(kv.value), kv.key, record.timestamp());
        }
    }

    private void onSegmentation(Record<String, Message> record, Segmentation s) {
        String stream = s.getStreamId();
        boolean captured = "captured".equals(s.getSource());
        if (captured) {
            capturing.put(stream, stamped(record.timestamp(), new byte[0]));
        } else if (!training.isTraining(stream, record.headers())) {
            return;
        }
        advanceProgress(stream, record.timestamp());
        String key = seqKey(stream, s.getSeq()) + "|" + s.getSource();
        if (done.get(key) != null) {
            meters.duplicate().increment();
            return;
        }
        byte[] frame = frames.get(seqKey(stream, s.getSeq()));
        if (frame != null) {
            emit(parseFrame(frame), s, key, record.timestamp());
        } else {
            segments.put(key, stamped(record.timestamp(), s.toByteArray()));
        }
    }

    private void emit(Frame f, Segmentation s, String doneKey, long timestamp) {
        long t0 = System.nanoTime();
        long startUs = Timings.nowMicros();
        if (s.getWidth() != f.getWidth() || s.getHeight() != f.getHeight()) {
            throw new IllegalArgumentException("segmentation " + doneKey + " is " + s.getWidth() + "x" + s.getHeight()
                    + " but its frame is " + f.getWidth() + "x" + f.getHeight());
        }
        TrainingPair pair = TrainingPair.newBuilder()
                .setStreamId(f.getStreamId())
                .setSeq(f.getSeq())
                .setCaptureTimeUs(f.getCaptureTimeUs())
                .setWidth(f.getWidth())
                .setHeight(f.getHeight())
                .setFrameJpeg(f.getJpeg())
                .setClassMap(s.getClassMap())
                .setSegmentationSource(s.getSource())
                .setTrackId(s.getTrackId())
                .addAllTimings(s.getTimingsList())
                .addTimings(Timings.stage(SegmentMeters.PAIR, startUs, Timings.nowMicros()))
                .build();
        done.put(doneKey, stamped(timestamp, new byte[0]));
        context.forward(new Record<>(f.getStreamId(), pair, f.getCaptureTimeUs() / 1000));
        var stage = meters.stage(SegmentMeters.PAIR);
        stage.recordStage(System.nanoTime() - t0);
        stage.recordAge(f.getCaptureTimeUs());
        stage.processed();
    }

    private void advanceProgress(String stream, long timestamp) {
        byte[] prev = progress.get(stream);
        if (prev == null || ByteBuffer.wrap(prev).getLong() < timestamp) {
            progress.put(stream, stamped(timestamp, new byte[0]));
        }
    }

    /**
     * Frames leave when their stream's segmentations are a window past them (or after the hard
     * retention); segmentations, markers and progress leave by stream time. Both kinds of loss
     * are counted.
     */
    private void evict(long streamTime) {
        evictFrames(streamTime);
        long cutoff = streamTime - windowMs;
        evict(segments, cutoff, meters.unpaired());
        evict(capturing, cutoff, null);
        // "done" keys outlive the window: a re-delivery after a restart can come later
        // and the frames, which ask them whether they were paired
        long doneCutoff = streamTime - frameRetentionMs; // at least 10 windows: see frameRetention
        evict(done, doneCutoff, null);
        // a stream's progress must outlive its buffered frames
        evict(progress, doneCutoff, null);
    }

    private void evictFrames(long streamTime) {
        Map<String, Long> progressOf = new HashMap<>();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = frames.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long ts = ByteBuffer.wrap(kv.value).getLong();
                String stream = kv.key.substring(0, kv.key.lastIndexOf('|'));
                long passed = progressOf.computeIfAbsent(stream, k -> {
                    byte[] p = progress.get(k);
                    return p == null ? Long.MIN_VALUE : ByteBuffer.wrap(p).getLong();
                });
                if ((passed != Long.MIN_VALUE && passed - ts > windowMs) || streamTime - ts > frameRetentionMs) {
                    old.add(kv.key);
                }
            }
        }
        for (String k : old) {
            frames.delete(k);
            if (!paired(k)) {
                meters.unpairedFrame().increment();
            }
        }
    }

    /** Whether the frame {@code seqKey} made a pair with any segmentation source. */
    private boolean paired(String seqKey) {
        try (KeyValueIterator<String, byte[]> it = done.prefixScan(seqKey + "|", KEYS)) {
            return it.hasNext();
        }
    }

    private static void evict(KeyValueStore<String, byte[]> store, long cutoff, Counter lost) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (ByteBuffer.wrap(kv.value).getLong() < cutoff) {
                    old.add(kv.key);
                }
            }
        }
        for (String k : old) {
            store.delete(k);
            if (lost != null) {
                lost.increment();
            }
        }
    }

    private static byte[] stamped(long ts, byte[] value) {
        return ByteBuffer.allocate(8 + value.length).putLong(ts).put(value).array();
    }

    private static Frame parseFrame(byte[] v) {
        try {
            return Frame.parseFrom(ByteBuffer.wrap(v, 8, v.length - 8));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt pair-frames store entry", e);
        }
    }

    private static Segmentation parseSegmentation(byte[] v) {
        try {
            return Segmentation.parseFrom(ByteBuffer.wrap(v, 8, v.length - 8));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt pair-segments store entry", e);
        }
    }
}
