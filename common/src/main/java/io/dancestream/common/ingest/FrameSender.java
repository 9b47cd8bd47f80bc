package io.dancestream.common.ingest;

import com.google.protobuf.ByteString;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.Timings;
import io.micrometer.core.instrument.DistributionSummary;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How an encoded frame becomes a {@code Frame} record on {@code dance.frames}: the one path
 * shared by {@code dance ingest} and the viewer's browser camera, so both write the same
 * record (key = stream id, record timestamp = capture time, an {@code ingest} stage timing)
 * and keep the same {@code ingest} metrics: {@code dance_stage_seconds}, {@code
 * dance_frame_bytes}, and on the broker's answer {@code dance_frames_total{outcome=processed}}
 * with {@code dance_frame_age_seconds}, or {@code outcome=failed}. Callers count their own
 * dropped frames with {@link #meters()}.
 */
public final class FrameSender {

    /** The stage name of every meter and timing ingest writes. */
    public static final String STAGE = "ingest";

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final DanceMetrics.StageMeters meters;
    private final DistributionSummary bytes;
    private final FirstSendGate firstSends = new FirstSendGate();

    public FrameSender(Producer<String, byte[]> producer, Topics topics, DanceMetrics metrics) {
        this.producer = Objects.requireNonNull(producer);
        this.topics = Objects.requireNonNull(topics);
        this.meters = metrics.stage(STAGE);
        this.bytes = metrics.bytes(STAGE);
    }

    /**
     * One encoded frame.
     *
     * @param startUs    wall time the stage began work on it (µs), for the stage timing
     * @param startNanos {@link System#nanoTime()} then, for {@code dance_stage_seconds}
     * @param pageCaptureMs the page's own capture time (browser camera), or NaN
     */
    public record Outgoing(String streamId, long seq, long captureUs, byte[] jpeg, int width, int height,
                           String source, boolean train, long startUs, long startNanos, double pageCaptureMs) {
    }

    /** The broker's answer for one frame: metadata, or the exception; and the record's size. */
    @FunctionalInterface
    public interface Done {
        void onCompletion(RecordMetadata metadata, Exception exception, int recordBytes);
    }

    public DanceMetrics.StageMeters meters() {
        return meters;
    }

    /**
     * Builds and sends the record; {@code done} runs on the producer's thread after the meters
     * saw the broker's answer. Blocks only for the first record of a stream (see {@link FirstSendGate}).
     */
    public void send(Outgoing f, Done done) {
        Frame frame = Frame.newBuilder()
                .setStreamId(f.streamId())
                .setSeq(f.seq())
                .setCaptureTimeUs(f.captureUs())
                .setWidth(f.width())
                .setHeight(f.height())
                .setJpeg(ByteString.copyFrom(f.jpeg()))
                .setSource(f.source())
                .addTimings(Timings.stage(STAGE, f.startUs(), Timings.nowMicros()))
                .build();
        meters.recordStage(System.nanoTime() - f.startNanos());
        bytes.record(f.jpeg().length);
        byte[] value = frame.toByteArray();
        ProducerRecord<String, byte[]> record = record(topics.frames(), f.streamId(), f.captureUs(), value, f.train());
        if (!Double.isNaN(f.pageCaptureMs())) {
            record.headers().add(IngestHeaders.PAGE_CAPTURE_MS,
                    Double.toString(f.pageCaptureMs()).getBytes(StandardCharsets.UTF_8));
        }
        Future<RecordMetadata> sent = producer.send(record, (md, e) -> {
            if (e != null) {
                meters.failed();
            } else {
                meters.processed();
                meters.recordAge(f.captureUs());
            }
            done.onCompletion(md, e, value.length);
        });
        firstSends.await(topics.frames(), f.streamId(), sent);
    }

    /** Sends another record of the same stream (a paired colour mask), gated like the frames. */
    public void sendAlongside(ProducerRecord<String, byte[]> record, Callback done) {
        Future<RecordMetadata> sent = producer.send(record, done);
        firstSends.await(record.topic(), record.key(), sent);
    }

    /** The shape of every ingest record: key = stream id, timestamp = capture time, {@code dance.train} if set. */
    public static ProducerRecord<String, byte[]> record(String topic, String streamId, long captureUs, byte[] value,
                                                        boolean train) {
        RecordHeaders headers = new RecordHeaders();
        if (train) {
            headers.add(IngestHeaders.TRAIN, IngestHeaders.ONE);
        }
        return new ProducerRecord<>(topic, null, captureUs / 1000, streamId, value, headers);
    }
}
