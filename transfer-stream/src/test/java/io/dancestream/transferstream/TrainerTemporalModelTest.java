package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's two-frame export served by transfer-stream: the signature takes the previous render,
 * the served output for (crop, previous) is the trainer's own, and a previous render changes it.
 */
class TrainerTemporalModelTest {

    @TempDir
    Path dir;

    @Test
    void aTwoFrameModelServesWhatTheTrainerComputesAndListensToItsPreviousRender() throws Exception {
        var config = Preset.TINY_TEMPORAL.config();
        int s = config.size();
        byte[] ids = new byte[s * s];
        try (Mat m = TestSegments.classMap(s, s)) {
            m.data().get(ids);
        }
        Random rnd = new Random(3);
        float[] target = new float[s * s * 3];
        for (int i = 0; i < target.length; i++) {
            target[i] = rnd.nextFloat() * 2 - 1;
        }
        byte[] previousRgb = new byte[s * s * 3];
        for (int i = 0; i < previousRgb.length; i++) {
            previousRgb[i] = (byte) (i * 7);
        }
        Path modelDir = dir.resolve("model");
        float[] withPrevious;
        float[] withoutPrevious;
        try (TrainingSession t = new TrainingSession(config, 1, 5e-3f)) {
            Batch one = new Batch(1, s, ids, target);
            for (long step = 0; step < 10; step++) {
                t.step(step, new Batch(1, s, ids, target, one, new float[] {0, 0, 1, 1}));
            }
            GeneratorExporter.export(t, modelDir);
            withPrevious = t.generate(ids, previousRgb, 1);
            withoutPrevious = t.generate(ids, null, 1);
            assertThatThrownBy(() -> t.step(99, one)).hasMessageContaining("pair batches");
        }
        try (Mat plate = new Mat(48, 64, opencv_core.CV_8UC3, new Scalar(90, 90, 90, 0))) {
            Files.write(modelDir.resolve("plate.png"), io.dancestream.common.image.ImageCodec.encodePng(plate));
        }
        ModelVersion mv = ModelVersion.newBuilder().setName("dancer").setVersion("t").setLocation(modelDir.toString())
                .setSha256(ModelChecksum.of(modelDir)).setInputSize(s).setGeometry(GeneratorSignature.PERSON_CROP)
                .setBackgroundPlate("plate.png").setPlateWidth(64).setPlateHeight(48)
                .setConditioning(GeneratorSignature.PREVIOUS_CROP).build();
        GeneratorModel model = GeneratorModel.load(mv);
        try (Mat crop = new Mat(s, s, opencv_core.CV_8UC1); Mat prevRgb = new Mat(s, s, opencv_core.CV_8UC3);
             Mat prevBgr = new Mat()) {
            crop.data().put(ids);
            prevRgb.data().put(previousRgb);
            opencv_imgproc.cvtColor(prevRgb, prevBgr, opencv_imgproc.COLOR_RGB2BGR);
            assertThat(model.temporal()).isTrue();
            List<Mat> conditioned = model.renderCrops(List.of(crop), List.of(prevBgr));
            List<Mat> first = model.renderCrops(List.of(crop), Arrays.asList((Mat) null));
            assertServed(conditioned.get(0), withPrevious);
            assertServed(first.get(0), withoutPrevious);
            try (Mat d = new Mat()) {
                opencv_core.absdiff(conditioned.get(0), first.get(0), d);
                assertThat(opencv_core.sumElems(d).get(0)).as("the previous render changes the output").isGreaterThan(100);
            }
            conditioned.forEach(Mat::close);
            first.forEach(Mat::close);
        } finally {
            model.release();
        }
        // the same SavedModel announced as single-frame is refused: its signature wants a previous render
        ModelVersion undeclared = mv.toBuilder().clearConditioning().build();
        assertThatThrownBy(() -> GeneratorModel.load(undeclared)).hasMessageContaining("no conditioning");
    }

    /** The served BGR crop is the trainer's float output rounded to uint8 (within one level). */
    private static void assertServed(Mat bgr, float[] reference) {
        try (Mat rgb = new Mat()) {
            opencv_imgproc.cvtColor(bgr, rgb, opencv_imgproc.COLOR_BGR2RGB);
            byte[] b = new byte[reference.length];
            rgb.data().get(b);
            for (int i = 0; i < b.length; i++) {
                double want = Math.max(0, Math.min(255, (reference[i] + 1) * 127.5));
                assertThat((double) (b[i] & 0xff)).isCloseTo(want, org.assertj.core.api.Assertions.within(1.01));
            }
        }
    }
}
