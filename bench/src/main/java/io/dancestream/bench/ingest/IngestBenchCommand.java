package io.dancestream.bench.ingest;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dance bench ingest [SOURCE]} (old form: {@code dance ingest --benchmark [SOURCE]}). */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Measure frames/s with --pace max and JPEG encode ms/frame of SOURCE (default: OpenCV's "
                + "vtest.avi) on an embedded broker, and print a Markdown report.")
public final class IngestBenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE", description = "A video file or image folder.")
    String source;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0", description = "Stop after N frames (0 = all).")
    long maxFrames;

    @Option(names = "--width", paramLabel = "W", defaultValue = "0",
            description = "Resize to this width, keeping the aspect ratio (with --height: fit inside W x H).")
    int width;

    @Option(names = "--height", paramLabel = "H", defaultValue = "0", description = "Resize to this height, keeping the aspect ratio.")
    int height;

    @Option(names = "--jpeg-quality", paramLabel = "Q", defaultValue = "85", description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Override
    public Integer call() throws Exception {
        String src = source != null ? source : IngestBenchmark.DEFAULT_SOURCE;
        System.out.println(IngestBenchmark.run(src, width, height, maxFrames, jpegQuality).markdown());
        return 0;
    }
}
