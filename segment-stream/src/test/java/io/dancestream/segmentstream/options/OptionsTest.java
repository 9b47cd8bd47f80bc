package io.dancestream.segmentstream.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.tfjs.Precision;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The tuning options reach the segmenter config through both option sets. */
class OptionsTest {

    @Command(name = "stream")
    static final class WithInference {
        @Mixin
        InferenceOptions inference = new InferenceOptions();
    }

    @Command(name = "segment")
    static final class WithSegmenter {
        @Mixin
        SegmenterOptions segmenter = new SegmenterOptions();
    }

    @Test
    void precisionAndDetectorTilesAreParsedInBoth() {
        WithInference a = new WithInference();
        new CommandLine(a).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--variant", "lite", "--inference-threads", "1", "--precision", "fp32",
                "--detector-tiles", "0");
        SegmenterConfig ca = a.inference.config();
        assertThat(ca.variant()).isEqualTo(SegmenterConfig.Variant.LITE);
        assertThat(ca.threads()).isEqualTo(1);
        assertThat(ca.precision()).isEqualTo(Precision.FP32);
        assertThat(ca.detectorTiles()).isZero();

        WithSegmenter b = new WithSegmenter();
        new CommandLine(b).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--threads", "2", "--detector-tiles", "5");
        SegmenterConfig cb = b.segmenter.config();
        assertThat(cb.threads()).isEqualTo(2);
        assertThat(cb.detectorTiles()).isEqualTo(5);
        assertThat(cb.precision()).isEqualTo(Precision.FP32);

        WithSegmenter defaults = new WithSegmenter();
        new CommandLine(defaults).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
        assertThat(defaults.segmenter.config().detectorTiles()).isEqualTo(SegmenterConfig.DEFAULT_DETECTOR_TILES);
        assertThat(defaults.segmenter.config().threads()).as("one thread per inference").isEqualTo(1);
        WithInference inferenceDefaults = new WithInference();
        new CommandLine(inferenceDefaults).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
        assertThat(inferenceDefaults.inference.config().threads()).as("one thread per inference").isEqualTo(1);
    }
}
