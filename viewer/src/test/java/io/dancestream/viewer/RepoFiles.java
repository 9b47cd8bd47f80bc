package io.dancestream.viewer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files at the repository root (tests run in the module directory). */
final class RepoFiles {

    private RepoFiles() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with docker-compose.yml) not found above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
