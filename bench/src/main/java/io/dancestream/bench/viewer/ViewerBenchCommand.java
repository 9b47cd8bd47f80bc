package io.dancestream.bench.viewer;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance bench viewer} (old form: {@code dance viewer --benchmark}); the options keep their
 * old names so old command lines run unchanged.
 */
@Command(name = "viewer", mixinStandardHelpOptions = true,
        description = "Measure the viewer (part-map colouring, delivery and glass-to-glass through a broker started "
                + "in this process) and print a Markdown table.")
public final class ViewerBenchCommand implements Callable<Integer> {

    @Option(names = "--benchmark-size", paramLabel = "WxH", defaultValue = "640x480",
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    String benchmarkSize;

    @Option(names = "--benchmark-frames", paramLabel = "N", defaultValue = "300",
            description = "Frames to send (default: ${DEFAULT-VALUE}).")
    int benchmarkFrames;

    @Option(names = "--benchmark-fps", paramLabel = "F", defaultValue = "30",
            description = "Rate frames are sent at (default: ${DEFAULT-VALUE}).")
    double benchmarkFps;

    @Override
    public Integer call() throws Exception {
        String[] wh = benchmarkSize.toLowerCase(Locale.ROOT).split("x");
        if (wh.length != 2 || benchmarkFrames < 1 || benchmarkFps <= 0) {
            throw new IllegalArgumentException("--benchmark-size must be WxH (e.g. 640x480), --benchmark-frames "
                    + "and --benchmark-fps positive");
        }
        System.out.println(ViewerBenchmark.run(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), benchmarkFrames,
                benchmarkFps));
        return 0;
    }
}
