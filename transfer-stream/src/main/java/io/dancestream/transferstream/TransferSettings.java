package io.dancestream.transferstream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.Topics;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a transfer-stream instance is configured with (command line, demo, tests).
 *
 * @param mode live: a frame older than {@code budget} when its batch is about to run is dropped
 *     (and counted) rather than rendered late, so a slow generator cannot build a queue; replay:
 *     every frame is rendered (and the app runs exactly-once, see {@link TransferStreamApp})
 * @param budget live mode's largest frame age (capture to now) still rendered
 * @param batchSize frames per inference batch (1 = no batching: the live default on CPU)
 * @param batchWait longest a frame waits for its batch to fill
 * @param backgroundPlate image to compose the rendered person over, or null
 * @param modelProbe load and run each new model in a child JVM first (see {@link ModelProbe})
 * @param modelProbeTimeout how long that child may take before it is killed and the model rejected
 * @param placement where a person-crop model's person goes in the plate's scene
 * @param normalizeFrames person frames of each source track its pose normalization statistics come from
 * @param continuity how a stream's frames are tied together (steady crop, two-frame conditioning)
 * @param inferenceThreads TensorFlow intra-op threads per generator run, 0: all cores. Default 1: on
 *     the 2-core VM one thread ran the generator as fast as two at two thirds of the CPU
 *     (docs/profile-realtime.md §7); more stages or streams then use the other cores.
 */
@RecordBuilder
public record TransferSettings(Topics topics, Mode mode, Duration budget, int batchSize, Duration batchWait,
                               int jpegQuality, Path backgroundPlate, ModelSelection selection, boolean modelProbe,
                               Duration modelProbeTimeout, Placement placement, int normalizeFrames,
                               Continuity continuity, int inferenceThreads)
        implements TransferSettingsBuilder.With {

    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(500);
    public static final int DEFAULT_INFERENCE_THREADS = 1;
    /** About 5 s of a camera at 30 fps: long enough to see the dancer move in depth. */
    public static final int DEFAULT_NORMALIZE_FRAMES = 150;

    /**
     * How the frames of one stream are tied together ({@link RenderHistories}).
     *
     * @param steadyCrop render each person at a steady crop (common's CropSmoother) rather than the
     *     frame's own box
     * @param resetAfter a stream idle longer than this (by capture time) starts over: a fresh crop
     *     filter and, for a two-frame model, no previous render. Shorter gaps (a few dropped frames)
     *     continue from the last render.
     */
    public record Continuity(boolean steadyCrop, Duration resetAfter) {
        public static final Continuity DEFAULT = new Continuity(true, Duration.ofSeconds(1));

        public Continuity {
            if (resetAfter.isNegative()) {
                throw new IllegalArgumentException("history reset gap must not be negative, is " + resetAfter);
            }
        }
    }

    public TransferSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, is " + batchSize);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, is " + jpegQuality);
        }
        if (modelProbeTimeout.isNegative() || modelProbeTimeout.isZero()) {
            throw new IllegalArgumentException("model probe timeout must be positive, is " + modelProbeTimeout);
        }
        if (inferenceThreads < 0) {
            throw new IllegalArgumentException("inference threads must be 0 (all cores) or more, is " + inferenceThreads);
        }
        if (normalizeFrames < 1) {
            throw new IllegalArgumentException("pose normalization frames must be at least 1, is " + normalizeFrames);
        }
    }

    /** Live mode, default budget, no batching, latest model, models probed in a child JVM. */
    public static TransferSettings defaults(Topics topics) {
        return new TransferSettings(topics, Mode.live, DEFAULT_BUDGET, 1, Duration.ofMillis(20),
                ImageCodec.DEFAULT_JPEG_QUALITY, null, ModelSelection.latest(), true, ModelProbe.DEFAULT_TIMEOUT,
                Placement.normalized, DEFAULT_NORMALIZE_FRAMES, Continuity.DEFAULT, DEFAULT_INFERENCE_THREADS);
    }

    // The one-value withers (withJpegQuality, withSelection, withBackgroundPlate, ...) are generated
    // by record-builder into TransferSettingsBuilder.With; the pairs below are set together.

    public TransferSettings withMode(Mode mode, Duration budget) {
        return withMode(mode).withBudget(budget);
    }

    public TransferSettings withBatch(int size, Duration wait) {
        return withBatchSize(size).withBatchWait(wait);
    }

    /** Probe new models in a child JVM (or not: {@code --no-model-probe}) with this timeout. */
    public TransferSettings withModelProbe(boolean enabled, Duration timeout) {
        return withModelProbe(enabled).withModelProbeTimeout(timeout);
    }

    /** Place person-crop renders by {@code p}, normalizing over each track's first {@code frames} person frames. */
    public TransferSettings withPlacement(Placement p, int frames) {
        return withPlacement(p).withNormalizeFrames(frames);
    }
}
