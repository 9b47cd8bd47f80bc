package io.dancestream.bench.train;

import io.dancestream.common.io.Directories;
import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.ModelConfig;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import io.dancestream.trainer.train.DeviceProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance bench train} (old form {@code dance train bench}): training steps/s and generator frames/s per preset on this
 * machine. Synthetic part maps of the preset's size: speed does not depend on the content.
 */
@Command(name = "train", aliases = "trainer", mixinStandardHelpOptions = true,
        description = "Measure training steps/s and generator inference frames/s for each preset on this machine.")
public final class TrainBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "Presets to measure (repeatable; default: cpu-realtime and gpu-quality).")
    List<String> presets = new ArrayList<>(List.of("cpu-realtime", "gpu-quality"));

    @Option(names = "--steps", defaultValue = "10", description = "Timed training steps per preset (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--frames", defaultValue = "30", description = "Timed generator calls per preset (default: ${DEFAULT-VALUE}).")
    int frames;

    @Override
    public Integer call() {
        String device = DeviceProbe.detect();
        System.out.printf("device %s, %d CPU cores%n", device, Runtime.getRuntime().availableProcessors());
        System.out.println("| preset | size | ngf | train steps/s (batch 1) | served generator frames/s (batch 1) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (String id : presets) {
            Preset p = Preset.of(id);
            ModelConfig c = p.config();
            Batch batch = syntheticBatch(c.size(), c.temporal());
            try (TrainingSession s = new TrainingSession(c, 1)) {
                s.step(0, batch); // warm-up: graph optimisation and allocation happen on the first run
                s.step(1, batch);
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    s.step(2 + i, batch);
                }
                double stepsPerSec = steps / ((System.nanoTime() - t0) / 1e9);
                double fps = servedFps(s, batch, c.size());
                System.out.printf("| %s | %d² | %d | %.2f | %.1f |%n", p.id(), c.size(), c.ngf(), stepsPerSec, fps);
            }
        }
        return 0;
    }

    /** Frames/s of the exported serving model, as the renderer runs it (uint8 in, uint8 out). */
    private double servedFps(TrainingSession s, Batch batch, int size) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dance-bench-");
            Path model = dir.resolve("model");
            GeneratorExporter.export(s, model);
            try (SavedModelBundle m = SavedModelBundle.load(model.toString());
                 TUint8 in = TUint8.tensorOf(Shape.of(1, size, size), DataBuffers.of(batch.classIds(), true, false));
                 TUint8 prev = TUint8.tensorOf(Shape.of(1, size, size, 3))) {
                SessionFunction f = m.function(GeneratorSignature.SIGNATURE);
                // a two-frame model also takes its previous render (zeros here: the cost is the same)
                Map<String, org.tensorflow.Tensor> feeds = s.config().temporal()
                        ? Map.of(GeneratorSignature.INPUT, in, GeneratorSignature.PREVIOUS, prev) : Map.of(GeneratorSignature.INPUT, in);
                f.call(feeds).close();
                long t1 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    f.call(feeds).close();
                }
                return frames / ((System.nanoTime() - t1) / 1e9);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** A fixed batch; for a two-frame model a pair whose frames share one crop (re-projection box = the whole crop). */
    private static Batch syntheticBatch(int size, boolean pair) {
        Batch one = syntheticBatch(size);
        return pair ? new Batch(1, size, one.classIds(), one.rgb(), syntheticBatch(size), new float[] {0, 0, 1, 1}) : one;
    }

    private static Batch syntheticBatch(int size) {
        Random rnd = new Random(1);
        byte[] ids = new byte[size * size];
        float[] rgb = new float[size * size * 3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (byte) ((i / size) * 25 / size);
        }
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = rnd.nextFloat() * 2 - 1;
        }
        return new Batch(1, size, ids, rgb);
    }
}
