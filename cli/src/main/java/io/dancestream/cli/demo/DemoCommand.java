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
            "OUT/demo-side-by-side.mp4). Prints the serving-path held-out evaluation (person-box L1/SSIM/PSNR and",
            "whole-frame SSIM of the model and of three baselines: plate only, mean crop, nearest neighbour), writes",
            "its contact sheet to OUT/demo-heldout-sheet.png, and prints a table of fps and latency per stage."})
public final class DemoCommand implements Callable<Integer> {

    /** Real footage of people on a Debian machine with opencv-doc installed. */
    static final Path DEFAULT_VIDEO = Path.of(SampleData.VTEST);

    @Option(names = "--target", paramLabel = "FILE",
            description = "Video of the target dancer: one person, filmed in a fixed scene; your own single-dancer "
                    + "video is the normal case (default: ${DEFAULT-VALUE}, frames from the start; the trainer learns "
                    + "its longest track, one pedestrian).")
    Path target = DEFAULT_VIDEO;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "What the target should imitate: a file, URL or v4l2:/dev/video0 (default: the "
                    + "target video, from frame --source-skip on: a later segment, other pedestrians than the target).")
    String source;

    @Option(names = "--target-frames", defaultValue = "400", description = "Frames of the target to train on (default: ${DEFAULT-VALUE}).")
    int targetFrames;

    // vtest.avi: the longest track of frames 0-399 is a man in a red and navy jacket (from frame 19) who comes
    // back into the picture on about frames 521-684 and 756-794; frames 400-519 show other pedestrians
    @Option(names = "--source-frames", defaultValue = "120", description = "Source frames to render (default: ${DEFAULT-VALUE}).")
    int sourceFrames;

    /** The default source's first frame in the default target video (see --source-frames). */
    static final int DEFAULT_VIDEO_SOURCE_SKIP = 400;

    @Option(names = "--source-skip", paramLabel = "N",
            description = "Source frames to skip. Default: with the default video " + DEFAULT_VIDEO_SOURCE_SKIP
                    + " (vtest.avi's frames 400-519 show other pedestrians than the target's); with your own "
                    + "--target and no --source, --target-frames (the frames after the training segment); with "
                    + "--source, 0.")
    Integer sourceSkip;

    @Option(names = "--train-time", defaultValue = "PT6M",
            description = "Training time budget, ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    Duration trainTime;

    @Option(names = "--preset", defaultValue = "cpu-realtime",
            description = "Generator preset: cpu-realtime, or cpu-realtime-temporal (two-frame: conditioned on its previous "
                    + "render, steadier video for about half the training steps in the same time; see "
                    + "docs/temporal-coherence.md) (default: ${DEFAULT-VALUE}).")
    String preset;

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
