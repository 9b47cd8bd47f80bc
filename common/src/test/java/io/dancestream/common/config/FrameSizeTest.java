package io.dancestream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class FrameSizeTest {

    @Command(name = "t")
    static final class WithSize implements Runnable {
        @Option(names = "--size", converter = FrameSize.Converter.class, defaultValue = "640x480")
        FrameSize size;

        @Override
        public void run() {
        }
    }

    @Test
    void parsesWidthByHeight() {
        assertThat(FrameSize.parse("640x480")).isEqualTo(new FrameSize(640, 480));
        assertThat(FrameSize.parse(" 1280X720 ")).isEqualTo(new FrameSize(1280, 720));
        assertThat(FrameSize.parse("640x480")).hasToString("640x480");
        assertThatThrownBy(() -> FrameSize.parse("640*480")).hasMessageContaining("WIDTHxHEIGHT");
        assertThatThrownBy(() -> FrameSize.parse("0x480")).hasMessageContaining("at least 1x1");
    }

    @Test
    void anOptionTakesItAndABadValueIsAUsageError() {
        WithSize cmd = new WithSize();
        new CommandLine(cmd).parseArgs("--size", "320x240");
        assertThat(cmd.size).isEqualTo(new FrameSize(320, 240));
        WithSize defaults = new WithSize();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.size).isEqualTo(new FrameSize(640, 480));

        StringWriter err = new StringWriter();
        int code = new CommandLine(new WithSize()).setErr(new PrintWriter(err)).execute("--size", "big");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--size").contains("WIDTHxHEIGHT, e.g. 640x480, not 'big'");
    }
}
