package io.dancestream.trainer.export;

import io.dancestream.common.io.Directories;
import io.dancestream.common.records.ModelChecksum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The model store ({@code --model-store}): the directory exported generators live in,
 * {@code STORE/NAME/VERSION/} (a SavedModel). A model is
 * written into a temporary directory inside the store and renamed into place, so a reader never
 * sees a half-written model.
 */
public final class GeneratorStore {

    public static final String ENV = "DANCE_MODEL_STORE";

    private final Path root;

    public GeneratorStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** {@code $DANCE_MODEL_STORE}, else {@code ~/.cache/dancestream/model-store}. */
    public static Path defaultRoot() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "dancestream", "model-store");
    }

    public Path root() {
        return root;
    }

    /**
     * Writes a model with {@code writer} (given a directory that does not exist yet) and moves
     * it to {@code NAME/VERSION} atomically.
     *
     * @return the published directory and its sha256 (see {@link ModelChecksum})
     */
    public Published publish(String name, String version, Consumer<Path> writer) {
        Path target = root.resolve(name).resolve(version);
        Path tmpParent = null;
        try {
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                throw new IOException("model " + name + " version " + version + " already exists at " + target);
            }
            tmpParent = Files.createTempDirectory(target.getParent(), ".tmp-" + version + "-");
            Path tmp = tmpParent.resolve("model");
            writer.accept(tmp);
            String sha = ModelChecksum.of(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the model store " + root + " does not support atomic rename", e);
            }
            return new Published(target, sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish model " + name + "/" + version + ": " + e.getMessage(), e);
        } finally {
            Directories.deleteRecursively(tmpParent);
        }
    }

    /** A published model directory and its checksum. */
    public record Published(Path dir, String sha256) {
    }
}
