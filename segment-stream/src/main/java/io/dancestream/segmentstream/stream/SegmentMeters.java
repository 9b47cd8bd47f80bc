package io.dancestream.segmentstream.stream;

import io.dancestream.common.metrics.DanceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of segment-stream: the shared per-stage {@code dance_*} meters of each node plus
 * model inference time ({@code dance_inference_seconds{model}}) and the pair join's outcomes.
 */
public final class SegmentMeters {

    public static final String SEGMENT = "segment";
    public static final String QUANTIZE = "quantize";
    public static final String PAIR = "pair";

    private final DanceMetrics metrics;
    private final Timer inference;

    public SegmentMeters(DanceMetrics metrics, String modelId) {
        this.metrics = metrics;
        this.inference = metrics.inference(modelId);
        // the pair join's extra outcomes exist from the start
        unpaired();
        unpairedFrame();
        duplicate();
    }

    public DanceMetrics metrics() {
        return metrics;
    }

    public DanceMetrics.StageMeters stage(String name) {
        return metrics.stage(name);
    }

    public Timer inference() {
        return inference;
    }

    /** A buffered training frame that its stream's segmentations passed by the window without pairing it. */
    public Counter unpairedFrame() {
        return metrics.stage(PAIR).outcome("unpaired_frame");
    }

    /** A segmentation whose frame never arrived within the window. */
    public Counter unpaired() {
        return metrics.stage(PAIR).outcome("unpaired");
    }

    /** A segmentation re-delivered after a restart of the live path, already paired. */
    public Counter duplicate() {
        return metrics.stage(PAIR).outcome("duplicate");
    }
}
