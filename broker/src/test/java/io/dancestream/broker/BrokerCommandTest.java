package io.dancestream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.common.config.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code dance broker --sasl-plain-user} finds its password, and the clear errors when it cannot. */
class BrokerCommandTest {

    @Test
    void passwordComesFromTheFileFirstThenTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\nsecond line ignored\n");
        assertThat(BrokerCommand.password("u", file, "from-env")).isEqualTo("from-file");
        assertThat(BrokerCommand.password("u", null, "from-env")).isEqualTo("from-env");
    }

    @Test
    void aMissingOrEmptyPasswordIsAClearErrorThatNamesNoSecret(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> BrokerCommand.password("alice", null, null))
                .hasMessage("--sasl-plain-user alice needs a password: set DANCE_BROKER_SASL_PASSWORD or give "
                        + "--sasl-plain-password-file FILE");
        assertThatThrownBy(() -> BrokerCommand.password("alice", null, " ")).hasMessageContaining("needs a password");
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> BrokerCommand.password("alice", empty, "ignored")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> BrokerCommand.password("alice", dir.resolve("missing"), "ignored"))
                .hasMessageContaining("cannot read the SASL password file");
    }

    @Test
    void thereIsNoOptionThatTakesThePasswordItself() {
        var spec = CommandRunner.commandLine(new BrokerCommand()).getCommandSpec();
        assertThat(spec.options()).extracting(o -> o.longestName())
                .contains("--sasl-plain-user", "--sasl-plain-password-file")
                .noneMatch(n -> n.equals("--sasl-plain-password") || n.equals("--password"));
        StringWriter err = new StringWriter();
        int rc = CommandRunner.commandLine(new BrokerCommand()).setErr(new PrintWriter(err))
                .execute("--sasl-plain-password", "x");
        assertThat(rc).isNotZero();
        assertThat(err.toString()).contains("Unknown option");
    }
}
