package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Generators made by the trainer itself: a few pix2pix steps (fast learning rate) of the {@code tiny} preset on the
 * test class map, exported with the trainer's GeneratorExporter. Also returns what the trained
 * generator outputs for that class map, as the reference a render must match.
 */
final class TrainerModels {

    static final int STEPS = 20;

    private TrainerModels() {
    }

    /** An exported generator, its record, and its own RGB output (uint8, [S,S,3]) for the test map. */
    record Exported(ModelVersion version, int size, int[] referenceRgb) {
    }

    /**
     * @param personRgb target colour of the person in [-1,1]; the background target is its
     *     negation, so two models with different targets render visibly differently
     */
    static Exported tiny(Path dir, String version, long seed, float[] personRgb) {
        var config = Preset.TINY.config();
        int s = config.size();
        byte[] ids = new byte[s * s];
        try (Mat m = TestSegments.classMap(s, s)) {
            m.data().get(ids);
        }
        float[] target = new float[s * s * 3];
        for (int i = 0; i < s * s; i++) {
            boolean person = ids[i] != 0;
            for (int c = 0; c < 3; c++) {
                target[i * 3 + c] = person ? personRgb[c] : -personRgb[c];
            }
        }
        int[] reference = new int[s * s * 3];
        // a high learning rate: a few steps must make the model's output its own, not the init's
        try (TrainingSession t = new TrainingSession(config, seed, 5e-3f)) {
            for (long step = 0; step < STEPS; step++) {
                t.step(step, new Batch(1, s, ids, target));
            }
            GeneratorExporter.export(t, dir);
            float[] y = t.generate(ids, 1);
            for (int i = 0; i < y.length; i++) {
                reference[i] = (int) Math.round(Math.min(255, Math.max(0, (y[i] + 1f) * 127.5f)));
            }
        }
        ModelVersion mv = ModelVersion.newBuilder().setName("dancer").setVersion(version)
                .setLocation(dir.toAbsolutePath().toString()).setSha256(ModelChecksum.of(dir)).setInputSize(s)
                .setSteps(STEPS).setPreset(Preset.TINY.id()).build();
        return new Exported(mv, s, reference);
    }
}
