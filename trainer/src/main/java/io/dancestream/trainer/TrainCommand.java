package io.dancestream.trainer;

import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.service.ServicePorts;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.trainer.eval.Evaluation;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.train.TrainJob;
import io.dancestream.trainer.train.TrainResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance train}: train a generator from dance.pairs, export it and publish it on dance.models. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the pix2pix generator on the stored (part map, frame) pairs of one track (one person) "
                + "of the chosen streams, export it to the model store and announce it on dance.models.")
public final class TrainCommand implements Callable<Integer> {

    private static final Duration SHUTDOWN_GRACE = Duration.ofMinutes(2);

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--stream", paramLabel = "ID", description = "Stream to train on (repeatable; default: all streams in the topic).")
    List<String> streams = List.of();

    @Option(names = "--track", paramLabel = "ID",
            description = "Track to train on, e.g. dancer#0 (stream#seq where the person was first found; "
                    + "default: the longest track, the one with most pairs).")
    String track;

    @Option(names = "--from", paramLabel = "ISO-TIME", description = "Only pairs captured at or after this instant, e.g. 2026-01-01T10:00:00Z.")
    Instant from;

    @Option(names = "--to", paramLabel = "ISO-TIME", description = "Only pairs captured before this instant.")
    Instant to;

    @Option(names = "--preset", defaultValue = "${env:DANCE_TRAIN_PRESET:-cpu-realtime}",
            description = "cpu-realtime (128², ngf 16), gpu-quality (256², ngf 64), gpu-quality-512, tiny (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N steps (counted over resumes).")
    Long maxSteps;

    @Option(names = "--max-duration", paramLabel = "DURATION", description = "Stop after this long, e.g. PT20M (ISO-8601).")
    Duration maxDuration;

    @Option(names = "--batch-size", defaultValue = "1", description = "Pairs per step (pix2pix uses 1; default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--holdout-every", paramLabel = "K", defaultValue = "10",
            description = "Hold out the last 1/K of each stream's pairs, in time, for evaluation (default: ${DEFAULT-VALUE}).")
    int holdoutEvery;

    @Option(names = "--work-dir", paramLabel = "DIR",
            defaultValue = "${env:DANCE_TRAIN_DIR:-${sys:user.home}/.cache/dancestream/trainer}",
            description = "Checkpoints, sample grids, loss curve and dataset cache (env DANCE_TRAIN_DIR; default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--model-store", paramLabel = "DIR",
            defaultValue = "${env:DANCE_MODEL_STORE:-${sys:user.home}/.cache/dancestream/model-store}",
            description = "Where exported models go (env DANCE_MODEL_STORE; default: ${DEFAULT-VALUE}).")
    Path modelStore;

    @Option(names = "--model-name", defaultValue = "pix2pix", description = "Name of the published model (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Checkpoint every N steps (and at exit; default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--sample-every", defaultValue = "500", description = "Sample grid and loss curve every N steps (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in --work-dir.")
    boolean resume;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initial weights, batches and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-jitter", description = "Train without random resize-and-crop jitter.")
    boolean noJitter;

    @Option(names = "--no-mirror", description = "Train without horizontal mirroring.")
    boolean noMirror;

    @Option(names = "--no-publish", description = "Train and evaluate, but do not export or announce a model.")
    boolean noPublish;

    @Override
    public Integer call() {
        // option mistakes fail before any connection is made
        Preset chosen = Preset.of(preset);
        if (maxSteps == null && maxDuration == null) {
            throw new IllegalArgumentException("give --max-steps or --max-duration, or training never ends");
        }
        TrainJob.Builder job;
        CountDownLatch finished = new CountDownLatch(1);
        try (ServiceRuntime rt = ServiceRuntime.start("trainer", service, ServicePorts.TRAINER_METRICS)) {
            rt.running(true);
            // Ctrl-C ends training early: the JVM waits (bounded) until the run has checkpointed,
            // evaluated and published, instead of dying mid-write
            Thread hook = new Thread(() -> {
                rt.requestStop();
                try {
                    finished.await(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            job = TrainJob.builder(rt.clients(), rt.topics())
                    .streams(new LinkedHashSet<>(streams)).track(track)
                    .timeRange(from == null ? null : from.toEpochMilli(), to == null ? null : to.toEpochMilli())
                    .preset(chosen).batchSize(batchSize).holdoutEvery(holdoutEvery)
                    .workDir(workDir).modelStore(modelStore).modelName(modelName)
                    .checkpointEvery(checkpointEvery).sampleEvery(sampleEvery).resume(resume).seed(seed)
                    .jitter(!noJitter).mirror(!noMirror).publish(!noPublish)
                    .metrics(rt.metrics()).progress(true).stopWhen(rt::stopRequested);
            if (maxSteps != null) {
                job.maxSteps(maxSteps);
            }
            if (maxDuration != null) {
                job.maxDuration(maxDuration);
            }
            TrainResult r = job.build().run();
            Evaluation e = r.evaluation();
            System.out.printf("trained %d steps in %s on %s (%d training frames of %s)%n", r.steps(), r.elapsed(),
                    r.device(), r.trainFrames(), r.track().describe());
            System.out.printf("held-out L1 %.4f SSIM %.4f; mean-frame baseline L1 %.4f SSIM %.4f -> %s%n", e.heldoutL1(),
                    e.heldoutSsim(), e.baselineL1(), e.baselineSsim(), e.beatsBaseline() ? "beats the baseline" : "does NOT beat the baseline");
            System.out.println("samples: " + r.sampleGrid() + ", loss curve: " + r.lossCurve());
            if (r.model() != null) {
                System.out.println("published " + r.model().getName() + " " + r.model().getVersion() + " at " + r.modelDir()
                        + " on " + rt.topics().models());
            }
        } finally {
            finished.countDown();
        }
        return 0;
    }
}
