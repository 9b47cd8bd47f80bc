package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a new model and runs one inference in a short-lived child JVM ({@link ModelProbeMain})
 * before the serving JVM touches it. A SavedModel whose graph crashes TensorFlow natively
 * (SIGSEGV, abort) would otherwise kill the service, and a supervisor would restart it straight
 * into the same crash while the compacted models topic still offers that version.
 */
final class ModelProbe {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(ModelProbe.class);
    /** The model's tensors live in native memory; the child's heap holds only one batch. */
    private static final String HEAP = "-Xmx256m";
    /** Child output kept for the reason and the log: the tail, bounded in lines and characters. */
    private static final int MAX_LINES = 200;
    private static final int MAX_LINE_CHARS = 2000;
    /** The JVM's own crash banner names the signal it caught, e.g. "#  SIGSEGV (0xb) at pc=...". */
    private static final Pattern JVM_CRASH = Pattern.compile("^#\\s+(SIG[A-Z]+ \\(0x\\p{XDigit}+\\).*)$");
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 4, "SIGILL", 6, "SIGABRT",
            7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 15, "SIGTERM");

    private final Duration timeout;

    ModelProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** The probe the settings ask for, or null when it is switched off. */
    static ModelProbe of(TransferSettings settings) {
        return settings.modelProbe() ? new ModelProbe(settings.modelProbeTimeout()) : null;
    }

    /** The model failed its probe; the message is the reason. */
    static final class ProbeFailedException extends RuntimeException {
        ProbeFailedException(String reason) {
            super(reason);
        }
    }

    /**
     * Runs the probe; returns how long it took, or throws {@link ProbeFailedException} saying why
     * the model must not be loaded here (crash with its signal, failure with its error, timeout).
     */
    Duration check(ModelVersion mv) {
        long t0 = System.nanoTime();
        Path workDir;
        try {
            // the child's working directory: a JVM crash writes its hs_err file there, not into ours
            workDir = Files.createTempDirectory("dance-model-probe");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder(command(mv)).directory(workDir.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new ProbeFailedException("cannot start the probe JVM: " + e.getMessage());
        }
        OutputTail tail = new OutputTail(p);
        String failure;
        try {
            failure = await(p, tail);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            failure = "probe interrupted";
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (failure == null) {
            deleteQuietly(workDir);
            LOG.info("model {}:{} passed the probe JVM in {} ms", mv.getName(), mv.getVersion(), took.toMillis());
            return took;
        }
        boolean crashFiles = !isEmpty(workDir);
        List<String> output = tail.lines();
        LOG.warn("model {}:{} failed the probe JVM after {} ms: {}{}; {}{}", mv.getName(), mv.getVersion(),
                took.toMillis(), failure, crashFiles ? " (crash files kept in " + workDir + ")" : "",
                output.isEmpty() ? "it wrote nothing" : "its output" + (tail.truncated() ? " (last " + MAX_LINES + " lines)" : "")
                        + ":\n", String.join("\n", output));
        if (!crashFiles) {
            deleteQuietly(workDir);
        }
        throw new ProbeFailedException(failure);
    }

    /** Null when the child passed, else the reason. */
    private String await(Process p, OutputTail tail) throws InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            tail.join();
            return "probe JVM did not finish within " + timeout.toMillis() + " ms (killed)" + lastLine(tail.lines());
        }
        tail.join();
        int exit = p.exitValue();
        List<String> lines = tail.lines();
        if (exit == 0) {
            return lines.contains(ModelProbeMain.PASSED) ? null
                    : "probe JVM exited 0 without reporting a pass" + lastLine(lines);
        }
        if (exit > 128) {
            // Process reports death by signal N as 128 + N
            String signal = SIGNALS.getOrDefault(exit - 128, "signal " + (exit - 128));
            return "probe JVM died with " + signal + " (exit " + exit + ")" + crashLine(lines);
        }
        for (String line : lines) {
            if (line.startsWith(ModelProbeMain.FAILED)) {
                return "probe failed (exit " + exit + "): " + line.substring(ModelProbeMain.FAILED.length());
            }
        }
        return "probe JVM exited with " + exit + lastLine(lines);
    }

    List<String> command(ModelVersion mv) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData"));
        // where JavaCPP unpacks and finds the TensorFlow/OpenCV natives, if the service was told
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.bytedeco.")).sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        // the whole ModelVersion (base64 protobuf): the child must load the model exactly as the service
        // would, plate, geometry and conditioning included, not a bare SavedModel
        cmd.addAll(List.of("-cp", absoluteClassPath(System.getProperty("java.class.path")), ModelProbeMain.class.getName(),
                Base64.getEncoder().encodeToString(mv.toByteArray())));
        return cmd;
    }

    /** The class path with each entry made absolute: the child runs in another working directory. */
    static String absoluteClassPath(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator, -1))
                .map(e -> Path.of(e.isEmpty() ? "." : e).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The JVM's crash banner line if it wrote one, else the last meaningful line. */
    private static String crashLine(List<String> lines) {
        for (String line : lines) {
            Matcher m = JVM_CRASH.matcher(line);
            if (m.matches()) {
                return ": JVM caught " + m.group(1).trim();
            }
        }
        return lastLine(lines);
    }

    /** ": " + the last line that says something (not blank, not a '#' frame line), or "". */
    private static String lastLine(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.chars().allMatch(c -> c == '#')) {
                return ": " + line;
            }
        }
        return "";
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Reads the child's merged stdout/stderr on its own thread (a full pipe would block the
     * child) and keeps the last lines.
     */
    private static final class OutputTail {
        private final Deque<String> lines = new ArrayDeque<>();
        private final Thread reader;
        private boolean truncated;

        OutputTail(Process p) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
                    }
                } catch (IOException e) {
                    add("(probe output unreadable: " + e.getMessage() + ")");
                }
            }, "model-probe-output");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void add(String line) {
            if (lines.size() == MAX_LINES) {
                lines.removeFirst();
                truncated = true;
            }
            lines.addLast(line);
        }

        void join() throws InterruptedException {
            // the pipe closes when the child is gone; a grandchild holding it open must not hang us
            reader.join(5000);
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized boolean truncated() {
            return truncated;
        }
    }
}
