package io.dancestream.segmentstream.options;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.tfjs.Precision;
import picocli.CommandLine.Option;

/**
 * The segmenter options of the commands that run it beside other stages ({@code segment-stream},
 * {@code bench-path}): model variant and TensorFlow threads; smoothing and schema stay at their
 * defaults there. {@link SegmenterOptions} is the fuller set of the one-shot segment commands.
 */
public final class InferenceOptions {

    @Option(names = "--variant", defaultValue = "full", description = "BlazePose variant: full, lite, heavy (default ${DEFAULT-VALUE}).")
    SegmenterConfig.Variant variant;

    @Option(names = "--inference-threads", defaultValue = "0",
            description = "TensorFlow threads per inference (default 0 = all cores). Sharing a machine with "
                    + "transfer-stream, give it half the cores (on 2 cores: 1; see docs/benchmarks-transfer.md).")
    int inferenceThreads;

    @Option(names = "--precision", defaultValue = "fp32",
            description = "Inference arithmetic: fp32 (default) or bf16, TensorFlow's oneDNN bfloat16 rewrite: 18-59 %% faster for lite and heavy "
                    + "on CPUs with AVX512_BF16 (full: -9..+47 %%), but landmarks move by a few pixels and the mask loses 3-6 %% IoU "
                    + "(docs/benchmarks-segment.md).")
    Precision precision;

    @Option(names = "--detector-tiles", paramLabel = "N", defaultValue = "" + SegmenterConfig.DEFAULT_DETECTOR_TILES,
            description = "While nobody is found, run N tiles of the small-person detector pass per frame and continue "
                    + "on the stream's next frame: a frame then costs at most 1 + N detector runs, but a small person is "
                    + "found up to 12/N frames later. Default ${DEFAULT-VALUE} = all 12 tiles on the same frame.")
    int detectorTiles;

    public SegmenterConfig config() {
        int threads = inferenceThreads > 0 ? inferenceThreads : Runtime.getRuntime().availableProcessors();
        return SegmenterConfig.defaults().withVariant(variant).withThreads(threads).withPrecision(checked(precision))
                .withDetectorTiles(detectorTiles);
    }

    /** The precision, after warning on stderr when bfloat16 cannot pay off in this process. */
    static Precision checked(Precision p) {
        String caveat = p == Precision.BF16 ? Precision.bf16Caveat() : null;
        if (caveat != null) {
            System.err.println("warning: --precision bf16: " + caveat);
        }
        return p;
    }
}
