package io.dancestream.cli.demo;

import io.dancestream.common.io.SampleData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance demo}: the whole system in one command on an embedded broker — train the target
 * dancer's generator from a training stream, then render the target in the poses of a live
 * source, to Kafka, the browser viewer and an MP4.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Run motion transfer end to end on an embedded Kafka broker: ingest a target video as a training",
            "stream, segment it into pairs, train the cpu-realtime generator, publish it, then ingest a source",
            "in live pacing and render the target dancer in the source's poses (dance.rendered, the viewer, and",
            "OUT/demo-side-by-side.mp4). Prints held-out L1/SSIM against the mean-frame baseline and a table of",
            "fps and latency per stage."})
public final class DemoCommand implements Callable<Integer> {

    /** Real footage of people on a Debian machine with opencv-doc installed. */
    static final Path DEFAULT_VIDEO = Path.of(SampleData.VTEST);

    @Option(names = "--target", paramLabel = "FILE",
            description = "Video of the target dancer (default: ${DEFAULT-VALUE}, frames from the start).")
    Path target = DEFAULT_VIDEO;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "What the target should imitate: a file, URL or v4l2:/dev/video0 (default: the "
                    + "target video, from frame --source-skip on, so it is a different segment).")
    String source;

    @Option(names = "--target-frames", defaultValue = "400", description = "Frames of the target to train on (default: ${DEFAULT-VALUE}).")
    int targetFrames;

    @Option(names = "--source-frames", defaultValue = "300", description = "Source frames to render (default: ${DEFAULT-VALUE}).")
    int sourceFrames;

    @Option(names = "--source-skip", defaultValue = "450",
            description = "Frames of the default source to skip so it differs from the training segment (default: ${DEFAULT-VALUE}).")
    int sourceSkip;

    @Option(names = "--train-time", defaultValue = "PT6M",
            description = "Training time budget, ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    Duration trainTime;

    @Option(names = "--quick", description = "Short clips and a 40-second training run (for CI and a first look).")
    boolean quick;

    @Option(names = "--out", defaultValue = "out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--port", defaultValue = "0", description = "Broker client port (default: a free port).")
    int brokerPort;

    @Option(names = "--viewer-port", defaultValue = "8090", description = "Viewer HTTP port (default: ${DEFAULT-VALUE}; 0 = free).")
    int viewerPort;

    @Option(names = "--metrics-base-port", defaultValue = "9401",
            description = "First /metrics port; the stages use consecutive ports (default: ${DEFAULT-VALUE}; 0 = free ports).")
    int metricsBasePort;

    @Option(names = "--budget", defaultValue = "PT2S",
            description = "Live latency budget of segment-stream and transfer-stream: older frames are dropped "
                    + "and counted (default: ${DEFAULT-VALUE}, generous so a loaded 2-core machine still renders).")
    Duration budget;

    @Option(names = "--linger", defaultValue = "PT0S",
            description = "Keep the services and viewer up this long after the run, e.g. PT5M (default: exit at once).")
    Duration linger;

    @Override
    public Integer call() throws Exception {
        DemoPlan plan = DemoPlan.of(this);
        try (DemoRun run = new DemoRun(plan)) {
            return run.execute();
        }
    }
}
