package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorModelTest {

    @TempDir
    Path dir;

    /** A 64x48 class map: background with a torso_front (13) block in the middle-left. */
    static Mat classMap() {
        Mat m = new Mat(48, 64, opencv_core.CV_8UC1, new Scalar(0));
        try (Mat roi = m.apply(new Rect(8, 8, 24, 32))) {
            roi.put(new Scalar(13));
        }
        return m;
    }

    @Test
    void rendersEachClassAsTheModelsColourAtFrameSize() {
        var mv = TestGenerators.export(dir.resolve("m1"), "dancer", "1", 32, TestGenerators.paletteColours());
        GeneratorModel model = GeneratorModel.load(mv);
        try (Mat cm = classMap()) {
            List<Mat> out = model.render(List.of(cm, cm));
            assertThat(out).hasSize(2);
            Mat img = out.get(0);
            assertThat(img.cols()).isEqualTo(64);
            assertThat(img.rows()).isEqualTo(48);
            assertThat(img.channels()).isEqualTo(3);
            int[] torso = TestGenerators.paletteColours()[13];
            int[] bg = TestGenerators.paletteColours()[0];
            try (UByteIndexer idx = img.createIndexer()) {
                // inside the block (BGR order in the Mat)
                assertThat(new int[] {idx.get(24, 20, 2), idx.get(24, 20, 1), idx.get(24, 20, 0)}).containsExactly(torso);
                assertThat(new int[] {idx.get(24, 50, 2), idx.get(24, 50, 1), idx.get(24, 50, 0)}).containsExactly(bg);
            }
            assertThat(model.inputSize()).isEqualTo(32);
            assertThat(model.label()).isEqualTo("dancer:1");
        } finally {
            model.release();
        }
    }

    @Test
    void aModelOnOneTensorFlowThreadRendersTheSamePixels() {
        var mv = TestGenerators.export(dir.resolve("threads"), "dancer", "1", 32, TestGenerators.paletteColours());
        GeneratorModel all = GeneratorModel.load(mv);
        GeneratorModel one = GeneratorModel.load(mv, 1);
        try (Mat cm = classMap()) {
            Mat a = all.render(List.of(cm)).get(0);
            Mat b = one.render(List.of(cm)).get(0);
            try (Mat diff = new Mat()) {
                org.bytedeco.opencv.global.opencv_core.absdiff(a, b, diff);
                assertThat(org.bytedeco.opencv.global.opencv_core.countNonZero(diff.reshape(1, 0))).isZero();
            }
            assertThat(a.cols()).isEqualTo(64);
        } finally {
            all.release();
            one.release();
        }
    }

    @Test
    void refusesAModelWhoseInputSizeDisagreesWithItsRecord() {
        var mv = TestGenerators.export(dir.resolve("m2"), "dancer", "2", 32, TestGenerators.paletteColours())
                .toBuilder().setInputSize(64).build();
        assertThatThrownBy(() -> GeneratorModel.load(mv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input_size 64").hasMessageContaining("32");
    }

    @Test
    void refusesADirectoryThatIsNoSavedModel() {
        var mv = io.dancestream.common.proto.ModelVersion.newBuilder().setName("x").setVersion("1")
                .setLocation(dir.toString()).build();
        assertThatThrownBy(() -> GeneratorModel.load(mv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot load SavedModel");
    }

    @Test
    void aPersonCropModelCarriesItsPlateAndRefusesOneThatDoesNotFit() throws Exception {
        try (Mat plate = new Mat(30, 40, opencv_core.CV_8UC3, new Scalar(1, 2, 3, 0))) {
            var mv = TestGenerators.exportPersonCrop(dir.resolve("p"), "dancer", "3", 32, TestGenerators.paletteColours(), plate);
            GeneratorModel model = GeneratorModel.load(mv);
            try {
                assertThat(model.personCrop()).isTrue();
                assertThat(new int[] {model.plate().cols(), model.plate().rows()}).containsExactly(40, 30);
            } finally {
                model.release();
            }
            assertThatThrownBy(() -> GeneratorModel.load(mv.toBuilder().setPlateWidth(80).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is 40x30, ModelVersion says 80x30");
            // a plate outside the checksummed directory is not the model's, even where the file exists
            java.nio.file.Files.copy(dir.resolve("p/plate.png"), dir.resolve("outside.png"));
            assertThatThrownBy(() -> GeneratorModel.load(mv.toBuilder().setBackgroundPlate("../outside.png").build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a file in the model directory");
            // a geometry from a later trainer: refused with the reason, not rendered with the wrong contract
            assertThatThrownBy(() -> GeneratorModel.load(mv.toBuilder().setGeometry("pose_normalized_v2").build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("geometry 'pose_normalized_v2' is not one this transfer-stream renders");
        }
        // a whole-frame model (no geometry, as trained before person crops) still loads, with no plate
        GeneratorModel old = GeneratorModel.load(TestGenerators.export(dir.resolve("w"), "dancer", "4", 32,
                TestGenerators.paletteColours()));
        try {
            assertThat(old.personCrop()).isFalse();
            assertThat(old.plate()).isNull();
        } finally {
            old.release();
        }
    }

    @Test
    void aPersonCropModelCarriesItsTargetFramingAndRefusesOneThatWouldScaleByZero() throws Exception {
        try (Mat plate = new Mat(30, 40, opencv_core.CV_8UC3, new Scalar(1, 2, 3, 0))) {
            var mv = TestGenerators.exportPersonCrop(dir.resolve("f"), "dancer", "5", 32, TestGenerators.paletteColours(), plate);
            var framing = new io.dancestream.common.image.FramingStats(12, 28, 20, 18, 10, 21);
            GeneratorModel model = GeneratorModel.load(mv.toBuilder().setTargetFraming(framing.toProto()).build());
            try {
                assertThat(model.targetFraming()).isEqualTo(framing);
            } finally {
                model.release();
            }
            // a model from before pose normalization has none: it is placed where the source stands
            GeneratorModel older = GeneratorModel.load(mv);
            try {
                assertThat(older.targetFraming()).isNull();
            } finally {
                older.release();
            }
            var zero = new io.dancestream.common.image.FramingStats(12, 28, 0, 18, 10, 21);
            assertThatThrownBy(() -> GeneratorModel.load(mv.toBuilder().setTargetFraming(zero.toProto()).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target_framing needs positive");
        }
    }
}
