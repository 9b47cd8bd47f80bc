package io.dancestream.cli.reliability;

import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import java.nio.file.Path;

/**
 * A real generator SavedModel made by the trainer's own code (tiny preset, a few steps on a
 * torso block) so transfer-stream runs real inference in the reliability tests. Its quality is
 * irrelevant here and never reported: it only has to honour the serving contract.
 */
final class TinyGenerator {

    private TinyGenerator() {
    }

    static ModelVersion export(Path dir, String name, String version) {
        var config = Preset.TINY.config();
        int s = config.size();
        byte[] ids = new byte[s * s];
        float[] target = new float[s * s * 3];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                boolean person = x >= s / 4 && x < 3 * s / 4 && y >= s / 6 && y < 5 * s / 6;
                ids[y * s + x] = (byte) (person ? SyntheticSegments.TORSO_FRONT : 0);
                for (int c = 0; c < 3; c++) {
                    target[(y * s + x) * 3 + c] = person ? 0.6f : -0.6f;
                }
            }
        }
        try (TrainingSession t = new TrainingSession(config, 7, 5e-3f)) {
            for (long step = 0; step < 3; step++) {
                t.step(step, new Batch(1, s, ids, target));
            }
            GeneratorExporter.export(t, dir);
        }
        return ModelVersion.newBuilder().setName(name).setVersion(version)
                .setLocation(dir.toAbsolutePath().toString()).setSha256(ModelChecksum.of(dir)).setInputSize(s)
                .setSteps(3).setPreset(Preset.TINY.id()).build();
    }
}
