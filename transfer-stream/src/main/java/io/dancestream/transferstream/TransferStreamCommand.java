package io.dancestream.transferstream;

import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.config.Mode;
import io.dancestream.common.service.ServicePorts;
import io.dancestream.common.service.ServiceRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance transfer-stream}: renders dance.segments into dance.rendered until Ctrl-C. */
@Command(name = "transfer-stream", mixinStandardHelpOptions = true,
        description = "Render the target dancer from live part maps (dance.segments -> dance.rendered), "
                + "hot-swapping generators published on dance.models.",
        subcommands = SideBySideExportCommand.class)
public final class TransferStreamCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--mode", defaultValue = "${env:DANCE_MODE:-live}",
            description = "live: drop frames older than --budget-ms before inference; replay: render all "
                    + "(env DANCE_MODE; default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--budget-ms", defaultValue = "${env:DANCE_TRANSFER_BUDGET_MS:-500}",
            description = "Live mode: largest frame age (capture to now) still rendered (default: ${DEFAULT-VALUE}).")
    long budgetMs;

    @Option(names = "--batch-size", defaultValue = "${env:DANCE_TRANSFER_BATCH:-1}",
            description = "Frames per inference batch (1 suits camera pace on CPU, see docs/benchmarks.md; "
                    + "default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-wait-ms", defaultValue = "20",
            description = "Longest a frame waits for its batch to fill (default: ${DEFAULT-VALUE}).")
    long batchWaitMs;

    @Option(names = "--jpeg-quality", defaultValue = "85", description = "JPEG quality of rendered frames.")
    int jpegQuality;

    @Option(names = "--background", paramLabel = "IMAGE",
            description = "Background plate (JPEG/PNG) that overrides the model's own: person-crop models render the "
                    + "person into this scene (at its size) instead of their plate.png; older whole-frame models "
                    + "compose the rendered person over it.")
    Path background;

    @Option(names = "--placement", defaultValue = "normalized",
            description = "Where a person-crop model puts the person in its scene: normalized (global pose "
                    + "normalization: the source's box mapped into the target's framing, from the feet and heights "
                    + "seen in each video) or source (where the source stands, proportionally to the frame) "
                    + "(default: ${DEFAULT-VALUE}).")
    Placement placement;

    @Option(names = "--normalize-frames", paramLabel = "N", defaultValue = "150",
            description = "Person frames at the start of each source track that the normalization statistics come "
                    + "from; until N are seen it uses those seen so far (default: ${DEFAULT-VALUE}).")
    int normalizeFrames;

    @Option(names = "--no-steady-crop",
            description = "Render each person at its own frame's crop instead of a steady crop filtered over the "
                    + "stream's frames (One Euro on the crop's centre and side), which keeps an outline's flicker "
                    + "from rescaling the whole render.")
    boolean noSteadyCrop;

    @Option(names = "--history-reset-ms", paramLabel = "MS", defaultValue = "1000",
            description = "A stream idle longer than this (capture time) starts over: a fresh steady crop and, for a "
                    + "two-frame model, no previous render; shorter gaps (dropped frames) continue from the last "
                    + "render (default: ${DEFAULT-VALUE}).")
    long historyResetMs;

    @Option(names = "--model-for", paramLabel = "STREAM=MODEL",
            description = "Render STREAM with the latest version of model MODEL (repeatable; default: every "
                    + "stream uses the newest model of any name).")
    Map<String, String> modelFor = new LinkedHashMap<>();

    @Option(names = "--no-model-probe",
            description = "Load a new model straight into this JVM, without first loading it and running one "
                    + "inference in a child JVM (the probe keeps a model that crashes TensorFlow natively from "
                    + "killing the service; it adds a JVM start, seconds, to each swap).")
    boolean noModelProbe;

    @Option(names = "--model-probe-timeout-s", defaultValue = "${env:DANCE_MODEL_PROBE_TIMEOUT_S:-60}",
            description = "A model whose probe JVM takes longer is killed and rejected (default: ${DEFAULT-VALUE}).")
    long modelProbeTimeoutS;

    @Option(names = "--inference-threads", paramLabel = "N", defaultValue = "${env:DANCE_TRANSFER_THREADS:-1}",
            description = "TensorFlow threads per generator run, 0 = all cores (default: ${DEFAULT-VALUE}; one was "
                    + "as fast as two at less CPU on 2 cores, docs/profile-realtime.md §7).")
    int inferenceThreads;

    TransferSettings settings() {
        if (background != null && !Files.isRegularFile(background)) {
            throw new IllegalArgumentException("background plate " + background + " does not exist");
        }
        return TransferSettings.defaults(service.kafka().topics())
                .withMode(mode, Duration.ofMillis(budgetMs))
                .withBatch(batchSize, Duration.ofMillis(batchWaitMs))
                .withBackgroundPlate(background)
                .withSelection(ModelSelection.parse(modelFor))
                .withJpegQuality(jpegQuality)
                .withModelProbe(!noModelProbe, Duration.ofSeconds(modelProbeTimeoutS))
                .withPlacement(placement, normalizeFrames)
                .withContinuity(new TransferSettings.Continuity(!noSteadyCrop, Duration.ofMillis(historyResetMs)))
                .withInferenceThreads(inferenceThreads);
    }

    @Override
    public Integer call() throws Exception {
        TransferSettings settings = settings();
        try (ServiceRuntime rt = ServiceRuntime.start("transfer-stream", service,
                ServicePorts.TRANSFER_STREAM_METRICS);
             TransferStreamApp app = TransferStreamApp.start(rt.clients(), settings, rt.metrics())) {
            rt.bind(app.streams());
            rt.running(true);
            System.out.println("transfer-stream: " + settings.topics().segments() + " -> " + settings.topics().rendered()
                    + " (" + mode + ", batch " + batchSize + "); Ctrl-C stops it.");
            System.out.flush();
            rt.awaitStop();
        }
        return 0;
    }
}
