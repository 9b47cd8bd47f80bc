package io.dancestream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar cli/target/dance.jar demo --quick ARGS} as a user runs it, in its own JVM. */
final class QuickDemo {

    private QuickDemo() {
    }

    /** Runs the demo with its output in {@code log}; returns that output once the demo exited 0. */
    static String run(Path log, String... args) throws Exception {
        Path jar = Path.of("../cli/target/dance.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx6g", "-jar", jar.toString(), "demo", "--quick"));
        command.addAll(List.of(args));
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = demo.waitFor(25, TimeUnit.MINUTES);
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            demo.destroyForcibly();
        }
        assertThat(done).as("demo finished; output:\n" + text).isTrue();
        assertThat(demo.exitValue()).as("demo exit code; output:\n" + text).isZero();
        return text;
    }
}
