package io.dancestream.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dance bench STAGE}: every benchmark and synthetic-data generator behind one entry, so the
 * services carry no harness code. The old forms ({@code dance segment bench}, {@code dance
 * segment-stream --benchmark}, ...) are rewritten to these by the launcher (docs/benchmarks.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks and synthetic test data, one subcommand per stage.",
        subcommands = {
            HelpCommand.class,
            io.dancestream.bench.segment.SegmentBenchCommand.class,
            io.dancestream.bench.segment.SegmentStreamBenchCommand.class,
            io.dancestream.bench.segment.QuantizeBenchCommand.class,
            io.dancestream.bench.ingest.IngestBenchCommand.class,
            io.dancestream.bench.transfer.TransferBenchmarkCommand.class,
            io.dancestream.bench.train.TrainBenchmarkCommand.class,
            io.dancestream.bench.viewer.ViewerBenchCommand.class,
            io.dancestream.bench.path.PathBenchmarkCommand.class,
            io.dancestream.bench.load.LoadTestCommand.class,
        })
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
