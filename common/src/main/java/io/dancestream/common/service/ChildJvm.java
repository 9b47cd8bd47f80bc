package io.dancestream.common.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service in its own JVM, on this JVM's class path, its output appended to a log file: what
 * {@code dance cluster} runs each broker node in, and what tests kill with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux) like a crashed container.
 */
public final class ChildJvm implements AutoCloseable {

    /** Heap of a child service unless the caller says otherwise. */
    public static final String DEFAULT_HEAP = "768m";

    private final Process process;
    private final Path log;
    /** Stops the child (SIGTERM) when this JVM is stopped (SIGTERM, Ctrl-C) before closing it: no orphans. */
    private final Thread reaper;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.reaper = new Thread(process::destroy, "child-jvm-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public static ChildJvm start(Path log, String mainClass, String... args) throws IOException {
        return startWithHeap(log, DEFAULT_HEAP, mainClass, args);
    }

    /** Starts {@code mainClass args} with {@code -Xmx heap}, stdout and stderr appended to {@code log}. */
    public static ChildJvm startWithHeap(Path log, String heap, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ChildJvm(p, log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no commit, no close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, as an orchestrator stops a service; the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
