package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.common.config.CommandRunner;
import io.dancestream.common.config.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TransferStreamCommandTest {

    private static TransferStreamCommand parse(String... args) {
        TransferStreamCommand cmd = new TransferStreamCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.parseArgs(args);
        return cmd;
    }

    @Test
    void optionsBecomeSettings() {
        TransferSettings s = parse("--topic-prefix", "x.", "--mode", "replay", "--batch-size", "4", "--batch-wait-ms", "30",
                "--jpeg-quality", "70", "--model-for", "cam2=ballet", "--model-for", "cam3=dancer").settings();
        assertThat(s.topics().segments()).isEqualTo("x.segments");
        assertThat(s.mode()).isEqualTo(Mode.replay);
        assertThat(s.batchSize()).isEqualTo(4);
        assertThat(s.batchWait()).isEqualTo(Duration.ofMillis(30));
        assertThat(s.jpegQuality()).isEqualTo(70);
        assertThat(s.selection().pinned("cam2")).isEqualTo("ballet");
        assertThat(s.selection().pinned("cam3")).isEqualTo("dancer");
        assertThat(s.selection().pinned("cam1")).isNull();
        TransferSettings noProbe = parse("--no-model-probe", "--model-probe-timeout-s", "5").settings();
        assertThat(noProbe.modelProbe()).isFalse();
        assertThat(noProbe.modelProbeTimeout()).isEqualTo(Duration.ofSeconds(5));
        TransferSettings source = parse("--placement", "source", "--normalize-frames", "30").settings();
        assertThat(source.placement()).isEqualTo(Placement.source);
        assertThat(source.normalizeFrames()).isEqualTo(30);
    }

    @Test
    void defaultsAreLiveWithAHalfSecondBudgetAndNoBatching() {
        TransferSettings s = parse().settings();
        assertThat(s.mode()).isEqualTo(Mode.live);
        assertThat(s.budget()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.batchSize()).isEqualTo(1);
        assertThat(s.topics().rendered()).isEqualTo("dance.rendered");
        assertThat(s.modelProbe()).as("new models are probed in a child JVM").isTrue();
        assertThat(s.modelProbeTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.placement()).as("pose normalization by default").isEqualTo(Placement.normalized);
        assertThat(s.normalizeFrames()).isEqualTo(150);
    }

    @Test
    void badOptionsFailWithOneSentence() {
        assertThatThrownBy(() -> parse("--batch-size", "0").settings()).hasMessageContaining("batch size must be at least 1");
        assertThatThrownBy(() -> parse("--background", "/nonexistent/plate.png").settings())
                .hasMessageContaining("background plate /nonexistent/plate.png does not exist");
        assertThatThrownBy(() -> parse("--model-probe-timeout-s", "0").settings())
                .hasMessageContaining("model probe timeout must be positive");
        assertThatThrownBy(() -> parse("--normalize-frames", "0").settings())
                .hasMessageContaining("pose normalization frames must be at least 1");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TransferStreamCommand());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--mode", "sometimes")).isNotZero();
        assertThat(err.toString()).contains("--mode");
        assertThat(CommandRunner.run(new TransferStreamCommand(), "--batch-size", "0", "--metrics-port", "-1",
                "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(1);
    }
}
