package io.dancestream.cli;

import io.dancestream.common.config.CommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code dance} launcher: one command, a subcommand per service. Each module owns its
 * subcommand class; this class only lists them. The benchmark command lines from before
 * {@code dance bench} are rewritten to it first ({@link BenchAliases}).
 */
@Command(name = "dance", mixinStandardHelpOptions = true, version = "dancestream 0.1.0",
        description = "Real-time \"do as I do\" motion transfer on Kafka.",
        subcommands = {
            HelpCommand.class,
            io.dancestream.broker.BrokerCommand.class,
            io.dancestream.broker.ClusterCommand.class,
            io.dancestream.cli.demo.DemoCommand.class,
            io.dancestream.ingest.IngestCommand.class,
            io.dancestream.ingest.replay.ReplayCommand.class,
            io.dancestream.ingest.export.ExportCommand.class,
            io.dancestream.viewer.ViewerCommand.class,
            io.dancestream.transferstream.TransferStreamCommand.class,
            io.dancestream.trainer.TrainCommand.class,
            io.dancestream.segmentstream.quantize.QuantizeCommand.class,
            io.dancestream.segmentstream.stream.SegmentStreamCommand.class,
            io.dancestream.segmentstream.command.SegmentCommand.class,
            io.dancestream.bench.BenchCommand.class,
        })
public final class DanceCli implements Runnable {

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new DanceCli(), BenchAliases.rewrite(args)));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
