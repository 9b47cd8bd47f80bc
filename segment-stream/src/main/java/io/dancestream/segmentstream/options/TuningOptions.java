package io.dancestream.segmentstream.options;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.tfjs.Precision;
import picocli.CommandLine.Option;

/** The inference arithmetic and detector pacing, the same in {@link InferenceOptions} and {@link SegmenterOptions}. */
public final class TuningOptions {

    @Option(names = "--precision", defaultValue = "fp32",
            description = "Inference arithmetic: fp32 (default) or bf16, TensorFlow's oneDNN bfloat16 rewrite: 18-59 %% faster for lite and heavy "
                    + "on CPUs with AVX512_BF16 (full: -9..+47 %%), but landmarks move by a few pixels and the mask loses 3-6 %% IoU "
                    + "(docs/benchmarks-segment.md).")
    Precision precision;

    @Option(names = "--detector-tiles", paramLabel = "N", defaultValue = "" + SegmenterConfig.DEFAULT_DETECTOR_TILES,
            description = "After a frame whose whole small-person detector pass found nobody, run N tiles of the pass "
                    + "per frame and continue on the stream's next frame: an empty frame then costs 1 + N detector runs, "
                    + "but a person who walks in small is found up to 12/N frames later. 0 = all 12 tiles on every "
                    + "empty frame (default: ${DEFAULT-VALUE}). Live streams run the 12 tiles on a search thread "
                    + "instead, a whole search every 12/N empty frames, and never wait for it.")
    int detectorTiles;

    /** {@code c} with this precision (after the bf16 check) and detector tiling. */
    SegmenterConfig applyTo(SegmenterConfig c) {
        return c.withPrecision(checked(precision)).withDetectorTiles(detectorTiles);
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
