package io.dancestream.ingest;

import io.dancestream.common.config.CommandRunner;
import io.dancestream.ingest.export.ExportCommand;
import io.dancestream.ingest.replay.ReplayCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The ingest service's own jar: {@code java -jar ingest.jar ingest|replay|export ...}. */
@Command(name = "dance-ingest", mixinStandardHelpOptions = true,
        description = "Frame sources into Kafka, topic replay and MP4 export.",
        subcommands = {HelpCommand.class, IngestCommand.class, ReplayCommand.class, ExportCommand.class})
public final class IngestMain implements Runnable {

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new IngestMain(), args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
