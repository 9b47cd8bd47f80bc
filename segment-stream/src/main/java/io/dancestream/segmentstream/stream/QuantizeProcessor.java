package io.dancestream.segmentstream.stream;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import io.dancestream.segmentstream.quantize.MaskQuantizeException;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.OnlineRefitter;
import io.dancestream.segmentstream.quantize.QuantizedMask;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Node {@code quantize}: a captured BodyPix colour mask → Segmentation with
 * {@code source = "captured"} (no landmarks). The fit may adapt online every N masks. A mask
 * that is no image or belongs to another frame size throws {@link MaskQuantizeException} → DLQ.
 */
final class QuantizeProcessor implements Processor<String, RawMask, String, Segmentation> {

    static final String MODEL_ID = "bodypix-captured";

    private final MaskQuantizer quantizer;
    private final OnlineRefitter refitter;
    private final SegmentMeters meters;
    private final LongSupplier nowMicros;
    private ProcessorContext<String, Segmentation> context;

    /** @param refitter null for a fixed fit */
    QuantizeProcessor(MaskQuantizer quantizer, OnlineRefitter refitter, SegmentMeters meters, LongSupplier nowMicros) {
        this.quantizer = quantizer;
        this.refitter = refitter;
        this.meters = meters;
        this.nowMicros = nowMicros;
    }

    @Override
    public void init(ProcessorContext<String, Segmentation> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, RawMask> record) {
        RawMask m = record.value();
        if (m == null) {
            return; // a tombstone carries no mask
        }
        long t0 = System.nanoTime();
        long startUs = nowMicros.getAsLong();
        Mat bgr;
        try {
            bgr = ImageCodec.decodeColor(m.getImage().toByteArray());
        } catch (ImageCodec.ImageDecodeException e) {
            throw new MaskQuantizeException("captured mask " + m.getStreamId() + "#" + m.getSeq() + " is not an image: "
                    + e.getMessage(), e);
        }
        Segmentation out;
        try (bgr) {
            QuantizedMask q = quantizer.quantize(bgr, m.getWidth(), m.getHeight());
            try (Mat map = q.classMap()) {
                out = Segmentation.newBuilder()
                        .setStreamId(m.getStreamId())
                        .setSeq(m.getSeq())
                        .setCaptureTimeUs(m.getCaptureTimeUs())
                        .setWidth(map.cols())
                        .setHeight(map.rows())
                        .setClassMap(ByteString.copyFrom(ImageCodec.encodeLabelPng(map)))
                        .setPersonScore(q.foregroundFraction() > 0 ? 1f : 0f)
                        .setModelId(MODEL_ID)
                        .addAllTimings(m.getTimingsList())
                        .addTimings(Timings.stage(SegmentMeters.QUANTIZE, startUs, nowMicros.getAsLong()))
                        .setSource("captured")
                        .setSchema("bodypix24")
                        .build();
            }
            if (refitter != null) {
                refitter.observe(bgr);
            }
        }
        var stage = meters.stage(SegmentMeters.QUANTIZE);
        stage.recordStage(System.nanoTime() - t0);
        stage.recordAge(m.getCaptureTimeUs());
        stage.processed();
        context.forward(record.withValue(out));
    }
}
