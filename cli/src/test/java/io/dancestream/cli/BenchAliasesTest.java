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
        String[][][] oldToNew = {
            {{"segment", "bench", "--variants", "full", "--runs", "2"}, {"bench", "segment", "--variants", "full", "--runs", "2"}},
            {{"segment-stream", "--benchmark", "--frames", "20"}, {"bench", "segment-stream", "--frames", "20"}},
            {{"segment-stream", "--frames", "20", "--benchmark"}, {"bench", "segment-stream", "--frames", "20"}},
            {{"quantize", "--benchmark", "--masks", "8"}, {"bench", "quantize", "--masks", "8"}},
            {{"quantize", "--generate", "3", "out"}, {"bench", "quantize", "--generate", "3", "out"}},
            {{"ingest", "--benchmark", "clip.mp4"}, {"bench", "ingest", "clip.mp4"}},
            {{"transfer-stream", "bench", "--frames", "20"}, {"bench", "transfer", "--frames", "20"}},
            {{"train", "bench", "--preset", "tiny"}, {"bench", "train", "--preset", "tiny"}},
            {{"viewer", "--benchmark", "--benchmark-frames", "30"}, {"bench", "viewer", "--benchmark-frames", "30"}},
            {{"bench-path", "--mode", "replay"}, {"bench", "path", "--mode", "replay"}},
            {{"load-test", "--help"}, {"bench", "load-test", "--help"}},
        };
        for (String[][] c : oldToNew) {
            assertThat(BenchAliases.rewrite(c[0])).as(String.join(" ", c[0])).containsExactly(c[1]);
        }
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
