package io.dancestream.bench.ingest;

import io.dancestream.ingest.EncodingOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    EncodingOptions encoding = new EncodingOptions();

    @Override
    public Integer call() throws Exception {
        String src = source != null ? source : IngestBenchmark.DEFAULT_SOURCE;
        System.out.println(IngestBenchmark.run(src, encoding.width(), encoding.height(), maxFrames,
                encoding.jpegQuality()).markdown());
        return 0;
    }
}
