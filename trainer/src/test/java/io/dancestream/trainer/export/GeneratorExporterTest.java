package io.dancestream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.model.ModelConfig;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import io.dancestream.trainer.model.TrainingSessionTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

class GeneratorExporterTest {

    @Test
    void exportedServingModelMatchesTheTrainingGenerator(@TempDir Path dir) {
        ModelConfig c = Preset.TINY.config();
        Batch batch = TrainingSessionTest.fixedBatch(2, c.size(), 3);
        GeneratorStore store = new GeneratorStore(dir.resolve("store"));
        float[] expected;
        GeneratorStore.Published published;
        try (TrainingSession s = new TrainingSession(c, 5, 2e-3f)) {
            for (int i = 0; i < 10; i++) {
                s.step(i, batch);
            }
            expected = s.generate(batch.classIds(), batch.n());
            published = store.publish("test-model", "v1", d -> GeneratorExporter.export(s, d));
        }
        assertThat(published.dir()).isEqualTo(dir.resolve("store/test-model/v1").toAbsolutePath());
        assertThat(published.sha256()).isEqualTo(ModelChecksum.of(published.dir()));
        // nothing but the published model is left in the store
        assertThat(dir.resolve("store/test-model").toFile().list()).containsExactly("v1");

        try (SavedModelBundle m = SavedModelBundle.load(published.dir().toString());
             TUint8 in = TUint8.tensorOf(Shape.of(2, c.size(), c.size()), DataBuffers.of(batch.classIds(), true, false));
             Result r = m.function(GeneratorSignature.SIGNATURE).call(Map.of(GeneratorSignature.INPUT, in))) {
            TUint8 out = (TUint8) r.get(GeneratorSignature.OUTPUT).orElseThrow();
            assertThat(out.shape()).isEqualTo(Shape.of(2, c.size(), c.size(), 3));
            byte[] rgb = new byte[(int) out.shape().size()];
            out.asRawTensor().data().read(rgb);
            // the serving graph is the training generator without dropout, scaled to 0..255
            double maxDiff = 0;
            for (int i = 0; i < rgb.length; i++) {
                double want = Math.round(Math.max(0, Math.min(255, (expected[i] + 1) * 127.5)));
                maxDiff = Math.max(maxDiff, Math.abs((rgb[i] & 0xff) - want));
            }
            assertThat(maxDiff).isLessThanOrEqualTo(1.0);
        }
        // generator only: the discriminator's and optimizers' variables are not in the export
        assertThat(Files.exists(published.dir().resolve("saved_model.pb"))).isTrue();
    }
}
