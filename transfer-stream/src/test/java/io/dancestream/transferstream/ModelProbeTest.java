package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.common.proto.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-JVM probe with real SavedModels and real child processes. */
class ModelProbeTest {

    @TempDir
    Path dir;

    private final ModelProbe probe = new ModelProbe(ModelProbe.DEFAULT_TIMEOUT);

    @Test
    void aGoodModelPassesAndIsThenLoadedHere() {
        ModelVersion mv = TestGenerators.export(dir.resolve("good"), "dancer", "1", 32, TestGenerators.flatColours(10, 20, 30));
        assertThat(probe.check(mv)).isPositive();
        GeneratorModel model = ModelLoader.loadVerified(mv, probe);
        try {
            assertThat(model.label()).isEqualTo("dancer:1");
            assertThat(renderedColour(model)).containsExactly(30, 20, 10); // BGR
        } finally {
            model.release();
        }
    }

    @Test
    void aTwoFramePersonCropModelIsProbedAsTheServiceLoadsItAndAMismatchIsRejected() {
        try (org.bytedeco.opencv.opencv_core.Mat plate = FrameRendererTest.gradientPlate(64, 48)) {
            ModelVersion mv = TestGenerators.exportTemporal(dir.resolve("two"), "dancer", "t", 32,
                    TestGenerators.flatColours(200, 200, 200), plate);
            // the child gets the whole record: plate, geometry, conditioning
            assertThat(probe.check(mv)).isPositive();
            assertThatThrownBy(() -> probe.check(mv.toBuilder().clearConditioning().build()))
                    .isInstanceOf(ModelProbe.ProbeFailedException.class)
                    .hasMessageContaining("names no conditioning");
        }
    }

    @Test
    void aModelThatAbortsTensorFlowIsRejectedWithTheSignalAndThisJvmServesOn() {
        ModelVersion bad = TestGenerators.exportAborting(dir.resolve("abort"), "dancer", "2", 32);

        assertThatThrownBy(() -> ModelLoader.loadVerified(bad, probe))
                .isInstanceOf(ModelLoader.ModelRejectedException.class)
                .hasMessageStartingWith("model dancer:2 rejected: probe JVM died with SIGABRT (exit 134)")
                .hasMessageContaining("test generator aborts on purpose");

        // this JVM never ran the graph: it still loads and renders with TensorFlow
        ModelVersion good = TestGenerators.export(dir.resolve("good"), "dancer", "3", 32, TestGenerators.flatColours(1, 2, 3));
        GeneratorModel model = ModelLoader.loadVerified(good, probe);
        try {
            assertThat(renderedColour(model)).containsExactly(3, 2, 1);
        } finally {
            model.release();
        }
    }

    @Test
    void aModelThatCannotLoadIsRejectedWithTheLoadError() {
        ModelVersion bogus = TestGenerators.notASavedModel(dir.resolve("bogus"), "dancer", "4", 32);

        assertThatThrownBy(() -> probe.check(bogus))
                .isInstanceOf(ModelProbe.ProbeFailedException.class)
                .hasMessageStartingWith("probe failed (exit 1): cannot load SavedModel " + bogus.getLocation() + ": ");
    }

    @Test
    void aModelAtOddsWithItsRecordIsRejectedWithTheContractError() {
        ModelVersion mv = TestGenerators.export(dir.resolve("m"), "dancer", "5", 32, TestGenerators.paletteColours())
                .toBuilder().setInputSize(64).build();

        assertThatThrownBy(() -> probe.check(mv))
                .hasMessage("probe failed (exit 1): ModelVersion says input_size 64 but the SavedModel takes 32");
    }

    @Test
    void aProbeThatOutlivesItsTimeoutIsKilledAndTheModelRejected() {
        ModelVersion mv = TestGenerators.export(dir.resolve("slow"), "dancer", "6", 32, TestGenerators.paletteColours());
        // no JVM starts, loads TensorFlow and runs a model in 50 ms
        ModelProbe impatient = new ModelProbe(Duration.ofMillis(50));

        assertThatThrownBy(() -> impatient.check(mv))
                .isInstanceOf(ModelProbe.ProbeFailedException.class)
                .hasMessageStartingWith("probe JVM did not finish within 50 ms (killed)");
    }

    @Test
    void theChildGetsAnAbsoluteClassPathBecauseItRunsInItsOwnDirectory() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(ModelProbe.absoluteClassPath("target/classes:/opt/lib/a.jar::lib/*"))
                .isEqualTo(cwd + "/target/classes:/opt/lib/a.jar:" + cwd + ":" + cwd + "/lib/*");
    }

    /** The BGR colour the model renders for an all-background class map. */
    private static int[] renderedColour(GeneratorModel model) {
        try (Mat cm = new Mat(32, 32, opencv_core.CV_8UC1, new Scalar(0))) {
            List<Mat> out = model.render(List.of(cm));
            try (Mat m = out.get(0); org.bytedeco.javacpp.indexer.UByteIndexer idx = m.createIndexer()) {
                return new int[] {idx.get(5, 5, 0), idx.get(5, 5, 1), idx.get(5, 5, 2)};
            }
        }
    }
}
