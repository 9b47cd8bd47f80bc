package io.dancestream.segmentstream.stream;

import com.google.protobuf.ByteString;
import io.dancestream.common.config.Mode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import io.dancestream.segmentstream.pose.SegmentationResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Node {@code segment}: Frame → Segmentation (class map PNG, 33 landmarks, person score, track
 * id named after the frame seq where the track started). "No person" is a normal
 * all-background result with score 0 and no track. A frame that cannot be decoded throws
 * {@link FrameDecodeException}, which the processing exception handler sends to the DLQ.
 * The output keeps the frame's key, timestamp (capture time) and headers.
 *
 * <p>Its first step is the flow limiter ({@code stale}): in live mode a frame already older than
 * the budget ({@code --max-frame-age}) is skipped and counted as {@code dropped_stale}, so a slow
 * segmenter sheds frames instead of building lag; in replay mode every frame is segmented. It is
 * checked here, right before inference, as transfer-stream's render node checks its own budget.
 */
final class SegmentProcessor implements Processor<String, Frame, String, Segmentation> {

    private final Segmenter segmenter;
    private final SegmentMeters meters;
    private final DanceMetrics.StageMeters stage;
    private final Mode mode;
    /** Live frames do not wait for a whole small-person search (profile-realtime §8); replay frames do. */
    private final Segmenter.Search search;
    private final long maxAgeUs;
    private final LongSupplier nowMicros;
    private String schema;
    private ProcessorContext<String, Segmentation> context;

    SegmentProcessor(Segmenter segmenter, SegmentMeters meters, Mode mode, Duration maxFrameAge,
                     LongSupplier nowMicros) {
        this.segmenter = segmenter;
        this.meters = meters;
        this.stage = meters.stage(SegmentMeters.SEGMENT);
        this.mode = mode;
        this.search = mode == Mode.live ? Segmenter.Search.BACKGROUND : Segmenter.Search.INLINE;
        this.maxAgeUs = maxFrameAge.toNanos() / 1000;
        this.nowMicros = nowMicros;
    }

    @Override
    public void init(ProcessorContext<String, Segmentation> context) {
        this.context = context;
        this.schema = segmenter.config().schema() == SegmenterConfig.Schema.DETAILED ? "detailed" : "bodypix24";
    }

    @Override
    public void process(Record<String, Frame> record) {
        Frame f = record.value();
        if (f == null) {
            return; // a tombstone carries no frame
        }
        if (stale(f)) {
            stage.droppedStale();
            return;
        }
        long t0 = System.nanoTime();
        long startUs = nowMicros.getAsLong();
        Mat bgr;
        try {
            bgr = ImageCodec.decodeColor(f.getJpeg().toByteArray());
        } catch (ImageCodec.ImageDecodeException e) {
            throw new FrameDecodeException("frame " + f.getStreamId() + "#" + f.getSeq() + ": " + e.getMessage(), e);
        }
        Segmentation out;
        try (bgr) {
            if (bgr.cols() != f.getWidth() || bgr.rows() != f.getHeight()) {
                throw new FrameDecodeException("frame " + f.getStreamId() + "#" + f.getSeq() + " says " + f.getWidth()
                        + "x" + f.getHeight() + " but its JPEG is " + bgr.cols() + "x" + bgr.rows(), null);
            }
            SegmentationResult r = segmenter.segment(f.getStreamId(), f.getSeq(), bgr, search);
            try (Mat map = r.classMap()) {
                meters.inference().record(r.inferenceNanos(), TimeUnit.NANOSECONDS);
                out = Segmentation.newBuilder()
                        .setStreamId(f.getStreamId())
                        .setSeq(f.getSeq())
                        .setCaptureTimeUs(f.getCaptureTimeUs())
                        .setWidth(map.cols())
                        .setHeight(map.rows())
                        .setClassMap(ByteString.copyFrom(ImageCodec.encodeLabelPng(map)))
                        .addAllLandmarks(r.landmarks())
                        .setPersonScore(r.personScore())
                        .setModelId(r.modelId())
                        .addAllTimings(f.getTimingsList())
                        .addTimings(Timings.stage(SegmentMeters.SEGMENT, startUs, nowMicros.getAsLong()))
                        .setSource("model")
                        .setSchema(schema)
                        .setTrackId(r.trackId())
                        .build();
            }
        }
        stage.recordStage(System.nanoTime() - t0);
        stage.recordAge(f.getCaptureTimeUs());
        stage.processed();
        context.forward(record.withValue(out));
    }

    /** Live mode: the frame is already older than the budget, so segmenting it would only add lag. */
    private boolean stale(Frame f) {
        return mode == Mode.live && nowMicros.getAsLong() - f.getCaptureTimeUs() > maxAgeUs;
    }
}
