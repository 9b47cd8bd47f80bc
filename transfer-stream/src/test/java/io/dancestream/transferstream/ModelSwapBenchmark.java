package io.dancestream.transferstream;

import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the child-JVM probe adds to a hot swap: time from offer to activation of a model, probe on
 * and off, alternating, with the registry loading on the calling thread. One unmeasured load first,
 * so TensorFlow's one-time start in this JVM is not charged to the first run.
 *
 * <p>Run (test scope): {@code java -cp <test classpath> io.dancestream.transferstream.ModelSwapBenchmark [runs]}
 */
public final class ModelSwapBenchmark {

    private ModelSwapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path tmp = Files.createTempDirectory("swap-bench");
        Map<String, ModelVersion> models = new java.util.LinkedHashMap<>();
        models.put("test generator 32² (one-hot + 1x1 conv)",
                TestGenerators.export(tmp.resolve("test"), "test", "0", 32, TestGenerators.paletteColours()));
        models.put("trainer export, tiny preset 32² (20 steps)",
                TrainerModels.tiny(tmp.resolve("tiny"), "0", 1, new float[] {0.5f, 0.2f, -0.3f}).version());
        models.put("trainer export, cpu-realtime preset 128² (untrained)", cpuRealtime(tmp.resolve("cpu-realtime")));
        ModelProbe probe = new ModelProbe(ModelProbe.DEFAULT_TIMEOUT);
        System.out.println("| model | probe | offer → active, ms (each run) | median ms |");
        System.out.println("| --- | --- | --- | --- |");
        for (var e : models.entrySet()) {
            ModelVersion mv = e.getValue();
            swapMillis(mv.toBuilder().setVersion("warm-up").build(), null);
            List<Long> on = new ArrayList<>();
            List<Long> off = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                on.add(swapMillis(mv.toBuilder().setVersion("on-" + i).build(), probe));
                off.add(swapMillis(mv.toBuilder().setVersion("off-" + i).build(), null));
            }
            System.out.printf("| %s | on | %s | %d |%n", e.getKey(), on, median(on));
            System.out.printf("| %s | off | %s | %d |%n", e.getKey(), off, median(off));
        }
        io.dancestream.common.io.Directories.deleteRecursively(tmp);
    }

    /** A fresh registry per run, so every offer is a swap from nothing to this model. */
    private static long swapMillis(ModelVersion mv, ModelProbe probe) {
        TransferMeters meters = new TransferMeters(new DanceMetrics(new SimpleMeterRegistry()));
        long[] activatedAt = new long[1];
        GeneratorRegistry.Listener timing = new GeneratorRegistry.Listener() {
            @Override
            public void activated(GeneratorModel model) {
                activatedAt[0] = System.nanoTime();
                meters.listener().activated(model);
            }

            @Override
            public void rejected(ModelVersion model, String reason) {
                throw new IllegalStateException(reason);
            }
        };
        try (GeneratorRegistry registry = new GeneratorRegistry(Runnable::run, ModelSelection.latest(), timing, probe)) {
            long t0 = System.nanoTime();
            registry.offer(mv, mv.getName(), mv.toByteArray(), RecordSource.unknown("bench"));
            return (activatedAt[0] - t0) / 1_000_000;
        }
    }

    private static ModelVersion cpuRealtime(Path dir) {
        var config = Preset.CPU_REALTIME.config();
        try (TrainingSession t = new TrainingSession(config, 1)) {
            GeneratorExporter.export(t, dir);
        }
        return ModelVersion.newBuilder().setName("cpu-realtime").setVersion("0").setLocation(dir.toAbsolutePath().toString())
                .setSha256(ModelChecksum.of(dir)).setInputSize(config.size()).build();
    }

    private static long median(List<Long> xs) {
        List<Long> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
