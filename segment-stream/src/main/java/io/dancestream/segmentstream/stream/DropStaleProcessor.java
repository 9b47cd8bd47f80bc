package io.dancestream.segmentstream.stream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The flow limiter in front of the segmenter (node {@code drop-stale}): in live mode a frame
 * already older than the budget is skipped and counted as {@code dropped_stale}, so a slow
 * segmenter sheds frames instead of building lag; in replay mode every frame passes.
 */
final class DropStaleProcessor implements Processor<String, Frame, String, Frame> {

    private final Mode mode;
    private final long maxAgeUs;
    private final LongSupplier nowMicros;
    private final DanceMetrics.StageMeters meters;
    private ProcessorContext<String, Frame> context;

    DropStaleProcessor(Mode mode, Duration maxAge, LongSupplier nowMicros, DanceMetrics.StageMeters meters) {
        this.mode = mode;
        this.maxAgeUs = maxAge.toNanos() / 1000;
        this.nowMicros = nowMicros;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Frame> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Frame> record) {
        Frame f = record.value();
        if (f == null) {
            return; // a tombstone carries no frame
        }
        if (mode == Mode.live && nowMicros.getAsLong() - f.getCaptureTimeUs() > maxAgeUs) {
            meters.droppedStale();
            return;
        }
        context.forward(record);
    }
}
