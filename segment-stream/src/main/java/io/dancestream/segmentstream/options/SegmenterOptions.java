package io.dancestream.segmentstream.options;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Segmenter options shared by the segment commands (and usable by the streams app). */
public final class SegmenterOptions {

    @Option(names = "--variant", defaultValue = "full", description = "BlazePose model: full, lite, heavy (default ${DEFAULT-VALUE})")
    SegmenterConfig.Variant variant;

    @Option(names = "--schema", defaultValue = "bodypix24", description = "part classes: bodypix24 or detailed (default ${DEFAULT-VALUE})")
    SegmenterConfig.Schema schema;

    @Option(names = "--threads", description = "cores per inference, TensorFlow intra-op threads (default: 1)")
    Integer threads;

    @Option(names = "--no-smoothing", description = "do not filter landmarks across frames")
    boolean noSmoothing;

    @Option(names = "--model-dir", description = "model cache (default: $DANCE_MODEL_DIR or ~/.cache/dancestream/models)")
    Path modelDir;

    @Mixin
    TuningOptions tuning = new TuningOptions();

    public SegmenterConfig config() {
        SegmenterConfig c = tuning.applyTo(SegmenterConfig.defaults().withVariant(variant).withSchema(schema)
                .withSmoothing(!noSmoothing).withModelDir(modelDir));
        return threads == null ? c : c.withThreads(threads);
    }
}
