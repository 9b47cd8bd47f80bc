package io.dancestream.segmentstream.pose;

import io.dancestream.segmentstream.tfjs.Precision;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How a {@link Segmenter} runs.
 *
 * @param variant    BlazePose landmark model: full (default), lite (faster) or heavy (more accurate)
 * @param threads    cores one inference may use (TensorFlow intra-op threads, {@link #DEFAULT_THREADS}
 *                   by default); concurrent calls for different streams run in parallel on top of that
 * @param schema     part classes: bodypix24 (ids 0..24) or detailed (adds face details 25..30)
 * @param smoothing  One Euro filtering of landmarks across a stream's frames
 * @param modelDir   model cache directory, or null for DANCE_MODEL_DIR / ~/.cache/dancestream/models
 * @param precision  float32 (default) or the oneDNN bfloat16 rewrite (faster, less accurate: {@link Precision})
 * @param detectorTiles tiles of the small-person detector pass per frame once a whole pass found
 *                   nobody ({@link #DEFAULT_DETECTOR_TILES}); 0: every tile on every empty frame.
 *                   {@link Segmenter.Search#BACKGROUND} runs a whole pass every 12 / detectorTiles
 *                   empty frames instead
 */
public record SegmenterConfig(Variant variant, int threads, Schema schema, boolean smoothing, Path modelDir,
                              Precision precision, int detectorTiles) {

    /**
     * A frame with nobody found runs the whole-frame detector plus all 12 tiles (13 detector runs:
     * on one thread about 180 ms, 4 such frames were 29 % of the Segmenter's time on vtest.avi's
     * first 100 frames, docs/profile-realtime.md §7). The first empty frame still runs every tile
     * (a still image, a stream's first frame, the frame a person is lost on); the empty frames
     * after it run 3 tiles each, round and round, so a long empty stretch costs 4 detector runs a
     * frame and a person who walks in small is found up to four frames later.
     */
    public static final int DEFAULT_DETECTOR_TILES = 3;

    /**
     * One thread per inference: on the 2-core VM, BlazePose-full on one intra-op thread ran at 64–67
     * frames/s against 45–57 on two, at half the CPU, and two callers of one thread each made 104–111
     * (docs/profile-realtime.md §7). Parallelism comes from streams and stages, not from splitting
     * one inference's ops.
     */
    public static final int DEFAULT_THREADS = 1;

    public enum Variant {
        FULL, LITE, HEAVY;

        public String modelName() {
            return "blazepose-" + name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Schema {
        BODYPIX24, DETAILED
    }

    public SegmenterConfig {
        if (variant == null || schema == null || precision == null) {
            throw new IllegalArgumentException("variant, schema and precision are required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (detectorTiles < 0) {
            throw new IllegalArgumentException("detector tiles must be 0 (all) or more, was " + detectorTiles);
        }
    }

    /** Full model, one thread per inference, BodyPix schema, smoothing on, default model cache. */
    public static SegmenterConfig defaults() {
        return new SegmenterConfig(Variant.FULL, DEFAULT_THREADS, Schema.BODYPIX24, true, null, Precision.FP32,
                DEFAULT_DETECTOR_TILES);
    }

    public SegmenterConfig withVariant(Variant v) {
        return new SegmenterConfig(v, threads, schema, smoothing, modelDir, precision, detectorTiles);
    }

    public SegmenterConfig withThreads(int t) {
        return new SegmenterConfig(variant, t, schema, smoothing, modelDir, precision, detectorTiles);
    }

    public SegmenterConfig withSchema(Schema s) {
        return new SegmenterConfig(variant, threads, s, smoothing, modelDir, precision, detectorTiles);
    }

    public SegmenterConfig withSmoothing(boolean on) {
        return new SegmenterConfig(variant, threads, schema, on, modelDir, precision, detectorTiles);
    }

    public SegmenterConfig withPrecision(Precision p) {
        return new SegmenterConfig(variant, threads, schema, smoothing, modelDir, p, detectorTiles);
    }

    public SegmenterConfig withModelDir(Path dir) {
        return new SegmenterConfig(variant, threads, schema, smoothing, dir, precision, detectorTiles);
    }

    public SegmenterConfig withDetectorTiles(int tiles) {
        return new SegmenterConfig(variant, threads, schema, smoothing, modelDir, precision, tiles);
    }
}
