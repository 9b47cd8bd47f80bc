package io.dancestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.config.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark command lines from before {@code dance bench} still reach the same benchmark, options intact. */
class BenchAliasesTest {

    @Test
    void oldBenchmarkCommandsAreRewrittenToDanceBench() {
        assertThat(BenchAliases.rewrite("segment", "bench", "--variants", "full", "--runs", "2"))
                .containsExactly("bench", "segment", "--variants", "full", "--runs", "2");
        assertThat(BenchAliases.rewrite("segment-stream", "--benchmark", "--frames", "20"))
                .containsExactly("bench", "segment-stream", "--frames", "20");
        assertThat(BenchAliases.rewrite("segment-stream", "--frames", "20", "--benchmark"))
                .containsExactly("bench", "segment-stream", "--frames", "20");
        assertThat(BenchAliases.rewrite("quantize", "--benchmark", "--masks", "8"))
                .containsExactly("bench", "quantize", "--masks", "8");
        assertThat(BenchAliases.rewrite("quantize", "--generate", "3", "out"))
                .containsExactly("bench", "quantize", "--generate", "3", "out");
        assertThat(BenchAliases.rewrite("ingest", "--benchmark", "clip.mp4"))
                .containsExactly("bench", "ingest", "clip.mp4");
        assertThat(BenchAliases.rewrite("transfer-stream", "bench", "--frames", "20"))
                .containsExactly("bench", "transfer", "--frames", "20");
        assertThat(BenchAliases.rewrite("train", "bench", "--preset", "tiny"))
                .containsExactly("bench", "train", "--preset", "tiny");
        assertThat(BenchAliases.rewrite("viewer", "--benchmark", "--benchmark-frames", "30"))
                .containsExactly("bench", "viewer", "--benchmark-frames", "30");
        assertThat(BenchAliases.rewrite("bench-path", "--mode", "replay"))
                .containsExactly("bench", "path", "--mode", "replay");
        assertThat(BenchAliases.rewrite("load-test", "--help")).containsExactly("bench", "load-test", "--help");
    }

    @Test
    void serviceCommandLinesStayAsTheyAre() {
        String[][] unchanged = {
            {}, {"segment", "photo.jpg", "--out", "o"}, {"segment-stream", "--mode", "replay"}, {"quantize", "in", "out"},
            {"ingest", "clip.mp4"}, {"transfer-stream", "side-by-side", "--help"}, {"train", "--preset", "tiny"},
            {"viewer", "--port", "8080"}, {"bench", "segment"}, {"demo"},
        };
        for (String[] args : unchanged) {
            assertThat(BenchAliases.rewrite(args)).containsExactly(args);
        }
    }

    @Test
    void everyBenchStageAnswersHelp() {
        CommandLine bench = CommandRunner.commandLine(new DanceCli()).getSubcommands().get("bench");
        assertThat(bench.getSubcommands().keySet()).contains("segment", "segment-stream", "quantize", "ingest",
                "transfer", "train", "viewer", "path", "load-test");
        for (var e : bench.getSubcommands().entrySet()) {
            String stage = e.getKey();
            if (stage.equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            CommandLine cl = CommandRunner.commandLine(new DanceCli());
            cl.setOut(new PrintWriter(out));
            assertThat(cl.execute("bench", stage, "--help")).as("bench " + stage + " --help").isZero();
            assertThat(out.toString()).contains("Usage: dance bench " + e.getValue().getCommandName());
        }
    }
}
