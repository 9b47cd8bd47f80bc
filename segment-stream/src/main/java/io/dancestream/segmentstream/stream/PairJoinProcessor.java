package io.dancestream.segmentstream.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.Timings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * TrainingPairs, in either arrival order, within a window of record (capture) time.
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

    private static final StringSerializer KEYS = new StringSerializer();

    private final TrainingStreams training;
    private final long windowMs;
    private final SegmentMeters meters;
    private ProcessorContext<String, TrainingPair> context;
    private KeyValueStore<String, byte[]> frames;
    private KeyValueStore<String, byte[]> segments;
    private KeyValueStore<String, byte[]> done;
    private KeyValueStore<String, byte[]> capturing;

    PairJoinProcessor(TrainingStreams training, Duration window, SegmentMeters meters) {
        this.training = training;
        this.windowMs = window.toMillis();
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, TrainingPair> context) {
        this.context = context;
        this.frames = context.getStateStore(FRAMES);
        this.segments = context.getStateStore(SEGMENTS);
        this.done = context.getStateStore(DONE);
        this.capturing = context.getStateStore(CAPTURING);
        context.schedule(Duration.ofMillis(Math.max(100, windowMs / 10)), PunctuationType.STREAM_TIME, this::evict);
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

    /** Drops what is older than the window (stream time); unpaired segmentations are counted. */
    private void evict(long streamTime) {
        long cutoff = streamTime - windowMs;
        evict(frames, cutoff, false);
        evict(segments, cutoff, true);
        evict(capturing, cutoff, false);
        // "done" keys outlive the window: a re-delivery after a restart can come later
        evict(done, streamTime - Math.max(4 * windowMs, Duration.ofMinutes(5).toMillis()), false);
    }

    private void evict(KeyValueStore<String, byte[]> store, long cutoff, boolean countUnpaired) {
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
            if (countUnpaired) {
                meters.unpaired().increment();
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
