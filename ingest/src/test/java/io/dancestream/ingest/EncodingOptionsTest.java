package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.config.CommandRunner;
import org.junit.jupiter.api.Test;

/** ingest's encoding options, parsed from its command line. */
class EncodingOptionsTest {

    @Test
    void sizeAndQualityComeFromTheCommandLine() {
        IngestCommand cmd = new IngestCommand();
        CommandRunner.commandLine(cmd).parseArgs("clip.mp4", "--width", "320", "--height", "240", "--jpeg-quality", "70");
        assertThat(cmd.encoding.width()).isEqualTo(320);
        assertThat(cmd.encoding.height()).isEqualTo(240);
        assertThat(cmd.encoding.jpegQuality()).isEqualTo(70);
    }

    @Test
    void byDefaultFramesKeepTheirSizeAtQuality85() {
        IngestCommand cmd = new IngestCommand();
        CommandRunner.commandLine(cmd).parseArgs("clip.mp4");
        assertThat(cmd.encoding.width()).isZero();
        assertThat(cmd.encoding.height()).isZero();
        assertThat(cmd.encoding.jpegQuality()).isEqualTo(85);
    }
}
