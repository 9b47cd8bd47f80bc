package io.dancestream.segmentstream.model;

import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin, phase generate-test-resources) and manual helper: makes sure
 * the pinned BlazePose models are in the cache. Usage: {@code FetchModels [DIR]}.
 */
public final class FetchModels {

    private FetchModels() {
    }

    public static void main(String[] args) {
        PoseModelCache store = args.length > 0 ? new PoseModelCache(Path.of(args[0])) : PoseModelCache.defaultCache();
        long t0 = System.nanoTime();
        try {
            store.ensureAll();
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        System.out.printf("models %s@%s ready in %s (%d files verified, %.1f s)%n", PoseModelCache.PACKAGE,
                PoseModelCache.VERSION, store.dir(), store.fileNames().size(), (System.nanoTime() - t0) / 1e9);
    }
}
