package io.dancestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import io.dancestream.common.config.CommandRunner;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** Every subcommand answers --help, and every service lists the shared Kafka options. */
class DanceCliHelpTest {

    private static final java.util.Set<String> NO_KAFKA = java.util.Set.of("help", "broker", "cluster", "segment", "quantize", "demo", "bench");

    @Test
    void everySubcommandHasHelpAndTheSharedOptions() {
        CommandLine root = CommandRunner.commandLine(new DanceCli());
        Map<String, CommandLine> subs = root.getSubcommands();
        assertThat(subs.keySet()).contains("broker");
        for (var e : subs.entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = CommandRunner.commandLine(new DanceCli());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int rc = cl.execute(e.getKey(), "--help");
            assertThat(err.toString()).as(e.getKey() + " --help stderr").isEmpty();
            assertThat(rc).as(e.getKey() + " --help exit code").isZero();
            assertThat(out.toString()).as(e.getKey() + " usage").contains("Usage: dance " + e.getKey()).contains("--help");
            if (!NO_KAFKA.contains(e.getKey())) {
                assertThat(out.toString()).as(e.getKey() + " usage").contains("--bootstrap-servers", "--kafka-config",
                        "--topic-prefix");
            }
        }
    }

    @Test
    void aFailureIsOneSentenceAndANonZeroExit() {
        StringWriter err = new StringWriter();
        CommandLine cl = CommandRunner.commandLine(new DanceCli());
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("no-such-command");
        assertThat(rc).isNotZero();
        assertThat(err.toString()).contains("no-such-command");
    }
}
