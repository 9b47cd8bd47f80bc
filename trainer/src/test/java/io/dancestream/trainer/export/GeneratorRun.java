package io.dancestream.trainer.export;

import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.model.ModelConfig;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import io.dancestream.trainer.model.TrainingSessionTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

/**
 * Child-JVM main of {@link GeneratorOneDnnParityIT}: {@code train MODEL_DIR RGB_OUT} trains the
 * cpu-realtime generator for a few steps, exports it and renders a fixed batch through the
 * SavedModel; {@code serve MODEL_DIR RGB_OUT} only renders. The raw rgb bytes go to RGB_OUT.
 */
public final class GeneratorRun {

    static final Preset PRESET = Preset.CPU_REALTIME;
    static final int BATCH = 2;

    private GeneratorRun() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[1]);
        ModelConfig c = PRESET.config();
        Batch batch = TrainingSessionTest.fixedBatch(BATCH, c.size(), 3);
        if (args[0].equals("train")) {
            try (TrainingSession s = new TrainingSession(c, 5, 2e-3f)) {
                for (int i = 0; i < 5; i++) {
                    s.step(i, batch);
                }
                GeneratorExporter.export(s, model);
            }
        }
        try (SavedModelBundle m = SavedModelBundle.load(model.toString());
             TUint8 in = TUint8.tensorOf(Shape.of(BATCH, c.size(), c.size()), DataBuffers.of(batch.classIds(), true, false));
             Result r = m.function(GeneratorSignature.SIGNATURE).call(Map.of(GeneratorSignature.INPUT, in))) {
            TUint8 out = (TUint8) r.get(GeneratorSignature.OUTPUT).orElseThrow();
            byte[] rgb = new byte[(int) out.shape().size()];
            out.asRawTensor().data().read(rgb);
            Files.write(Path.of(args[2]), rgb);
        }
        System.out.println("generator " + args[0] + " done");
    }
}
