package io.dancestream.bench.segment;

import io.dancestream.common.io.SampleData;
import io.dancestream.segmentstream.options.AppOptions;
import io.dancestream.segmentstream.options.InferenceOptions;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dance bench segment-stream} (old form: {@code dance segment-stream --benchmark}): the
 * segment-stream apps through an embedded broker against the bare segmenter loop. The app options
 * it takes are segment-stream's own, under the same names, so old command lines still run.
 */
@Command(name = "segment-stream", mixinStandardHelpOptions = true,
        description = {"Compare throughput through Kafka (an embedded broker) with the bare segmenter loop on the same frames.",
            "  dance bench segment-stream --frames 200"})
public final class SegmentStreamBenchCommand implements Callable<Integer> {

    @Mixin
    InferenceOptions inference = new InferenceOptions();

    @Option(names = "--frames", defaultValue = "200", description = "Frames of --video (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--bench-streams", paramLabel = "N", defaultValue = "1",
            description = "Split the frames into N streams (consecutive runs, on distinct partitions); "
                    + "the bare loop then runs N threads. With --stream-threads N this measures parallel streams "
                    + "against one stream with N inference threads (default ${DEFAULT-VALUE}).")
    int benchStreams;

    @Option(names = "--video", defaultValue = SampleData.VTEST, description = "Video (default ${DEFAULT-VALUE}).")
    Path video;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Through-Kafka runs after the cold round (the JVM's first Kafka work, printed, not counted), "
                    + "each between two runs of the bare loop and divided by their mean; prints every round's ratio "
                    + "and the median. On a VM whose speed drifts between minutes one pair is not a ratio "
                    + "(default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--stream-threads", defaultValue = "1",
            description = "Live stream threads of the app (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Mixin
    AppOptions apps = new AppOptions();

    @Option(names = "--no-smoothing", description = "Do not filter landmarks across frames (as segment-stream --no-smoothing).")
    boolean noSmoothing;

    SegmenterConfig segmenterConfig() {
        return inference.config().withSmoothing(!noSmoothing);
    }

    @Override
    public Integer call() throws Exception {
        return new SegmentStreamBenchmark(this).run();
    }
}
