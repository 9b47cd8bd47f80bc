package io.dancestream.bench.path;

import io.dancestream.common.config.Mode;
import io.dancestream.common.io.SampleData;
import io.dancestream.segmentstream.options.InferenceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dance bench path} (old form {@code dance bench-path}): the whole live path — ingest → segment-stream → transfer-stream →
 * consumer — on one machine, at 640×480 by default, so "≥ 15 fps for the full segment → render
 * path" is measured rather than inferred from the stages' separate benchmarks.
 */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Benchmark the full segment → render path through an embedded broker: frames/s and latency.")
public final class PathBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--video", defaultValue = SampleData.VTEST,
            description = "Source video, played in a loop if shorter than needed (default ${DEFAULT-VALUE}).")
    Path video;

    @Option(names = "--skip", defaultValue = "0", description = "Source frames to skip first (default ${DEFAULT-VALUE}).")
    long skip;

    @Option(names = "--width", defaultValue = "640", description = "Frame width sent (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "480", description = "Frame height sent (default ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--fps", defaultValue = "15", description = "Camera pace of the live run (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--frames", defaultValue = "300", description = "Frames counted per run (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup-frames", defaultValue = "30", description = "Frames sent first, not counted (default ${DEFAULT-VALUE}).")
    int warmupFrames;

    @Option(names = "--mode", split = ",", defaultValue = "replay,live",
            description = "Runs: replay (max pace, every frame: the path's capacity) and/or live (camera pace, "
                    + "stale frames dropped) (default ${DEFAULT-VALUE}).")
    List<Mode> modes;

    @Option(names = "--budget", paramLabel = "MS", defaultValue = "500",
            description = "Live frame-age budget of both stages (default ${DEFAULT-VALUE}).")
    long budgetMs;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Generator SavedModel (the trainer's export). Without it a freshly initialised cpu-realtime "
                    + "generator is exported: the same inference cost, no quality claimed.")
    Path model;

    @Option(names = "--trace", paramLabel = "CSV",
            description = "Also append every rendered frame's latency and per-stage wait and time to this CSV "
                    + "(which frames make the tail, and where they waited).")
    Path trace;

    @Mixin
    InferenceOptions inference = new InferenceOptions();

    @Override
    public Integer call() throws Exception {
        PathBenchmark.Settings s = new PathBenchmark.Settings(video, skip, width, height, fps, frames, warmupFrames,
                Duration.ofMillis(budgetMs), model, inference.config(), trace);
        try (PathBenchmark bench = PathBenchmark.start(s, System.out)) {
            for (Mode m : modes) {
                bench.run(m);
            }
        }
        return 0;
    }
}
