package io.dancestream.segmentstream.options;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The segmenter options of the commands that run it beside other stages ({@code segment-stream},
 * {@code bench-path}): model variant and TensorFlow threads; smoothing and schema stay at their
 * defaults there. {@link SegmenterOptions} is the fuller set of the one-shot segment commands.
 */
public final class InferenceOptions {

    @Option(names = "--variant", defaultValue = "full", description = "BlazePose variant: full, lite, heavy (default ${DEFAULT-VALUE}).")
    SegmenterConfig.Variant variant;

    @Option(names = "--inference-threads", defaultValue = "1",
            description = "TensorFlow threads per inference, 0 = all cores (default: ${DEFAULT-VALUE}; one was faster "
                    + "than two at half the CPU on 2 cores, docs/profile-realtime.md §7).")
    int inferenceThreads;

    @Mixin
    TuningOptions tuning = new TuningOptions();

    public SegmenterConfig config() {
        int threads = inferenceThreads > 0 ? inferenceThreads : Runtime.getRuntime().availableProcessors();
        return tuning.applyTo(SegmenterConfig.defaults().withVariant(variant).withThreads(threads));
    }
}
