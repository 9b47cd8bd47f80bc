package io.dancestream.segmentstream.options;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.tfjs.Precision;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Segmenter options shared by the segment commands (and usable by the streams app). */
public final class SegmenterOptions {

    @Option(names = "--variant", defaultValue = "full", description = "BlazePose model: full, lite, heavy (default ${DEFAULT-VALUE})")
    SegmenterConfig.Variant variant;

    @Option(names = "--schema", defaultValue = "bodypix24", description = "part classes: bodypix24 or detailed (default ${DEFAULT-VALUE})")
    SegmenterConfig.Schema schema;

    @Option(names = "--threads", description = "cores per inference (default: all)")
    Integer threads;

    @Option(names = "--no-smoothing", description = "do not filter landmarks across frames")
    boolean noSmoothing;

    @Option(names = "--model-dir", description = "model cache (default: $DANCE_MODEL_DIR or ~/.cache/dancestream/models)")
    Path modelDir;

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
        SegmenterConfig c = SegmenterConfig.defaults().withVariant(variant).withSchema(schema).withSmoothing(!noSmoothing)
                .withModelDir(modelDir).withPrecision(InferenceOptions.checked(precision))
                .withDetectorTiles(detectorTiles);
        return threads == null ? c : c.withThreads(threads);
    }
}
