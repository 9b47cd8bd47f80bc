package io.dancestream.bench.viewer;

import io.dancestream.common.config.FrameSize;
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

    @Option(names = "--benchmark-size", paramLabel = "WxH", defaultValue = "640x480", converter = FrameSize.Converter.class,
            description = "Frame size (default: ${DEFAULT-VALUE}).")
    FrameSize benchmarkSize;

    @Option(names = "--benchmark-frames", paramLabel = "N", defaultValue = "300",
            description = "Frames to send (default: ${DEFAULT-VALUE}).")
    int benchmarkFrames;

    @Option(names = "--benchmark-fps", paramLabel = "F", defaultValue = "30",
            description = "Rate frames are sent at (default: ${DEFAULT-VALUE}).")
    double benchmarkFps;

    @Override
    public Integer call() throws Exception {
        if (benchmarkFrames < 1 || benchmarkFps <= 0) {
            throw new IllegalArgumentException("--benchmark-frames and --benchmark-fps must be positive");
        }
        System.out.println(ViewerBenchmark.run(benchmarkSize.width(), benchmarkSize.height(), benchmarkFrames,
                benchmarkFps));
        return 0;
    }
}
