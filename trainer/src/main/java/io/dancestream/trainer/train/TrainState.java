package io.dancestream.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dancestream.trainer.model.StepLosses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a checkpoint needs besides the variables: the next step, the run seed, the preset, and
 * the loss history (for the curve). Written next to the checkpoint, atomically, after it.
 */
record TrainState(long nextStep, long seed, String preset, String checkpoint, List<float[]> losses) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "state.json";

    void write(Path dir) {
        try {
            Path tmp = Files.createTempFile(dir, ".state-", ".json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training state in " + dir + ": " + e.getMessage(), e);
        }
    }

    static TrainState read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            throw new IllegalStateException("--resume: no checkpoint in " + dir);
        }
        try {
            return JSON.readValue(f.toFile(), TrainState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training state " + f + ": " + e.getMessage(), e);
        }
    }

    List<StepLosses> history() {
        List<StepLosses> out = new ArrayList<>();
        for (float[] l : losses) {
            out.add(new StepLosses((long) l[0], l[1], l[2], l[3], l[4]));
        }
        return out;
    }

    static float[] row(StepLosses l) {
        return new float[] {l.step(), l.d(), l.g(), l.gan(), l.l1()};
    }
}
