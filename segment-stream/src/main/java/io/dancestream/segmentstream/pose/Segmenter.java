package io.dancestream.segmentstream.pose;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.greaterThan;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dancestream.common.proto.Landmark;
import io.dancestream.segmentstream.model.PoseModelCache;
import io.dancestream.segmentstream.parts.PartRasterizer;
import io.dancestream.segmentstream.tfjs.GraphModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatExpr;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frame → part map, landmarks and person score, with MediaPipe-style tracking per stream: the
 * person detector runs on a stream's first frame and whenever tracking is lost; otherwise the
 * ROI comes from the previous frame's landmarks, so a tracked dancer costs one landmark-model
 * pass. With several people the most confident detection (then the largest) is tracked and the
 * others are ignored. Each continuous track gets an id ({@link TrackAssigner}): a new one
 * whenever the detector acquires a person or the followed body centre jumps, kept while the
 * landmarks follow them.
 *
 * <p>Thread-safe: frames of one stream are processed in order (a per-stream lock); different
 * streams run concurrently, each inference using {@code config.threads()} cores. The
 * small-person tile search of a frame without anybody runs on the frame itself
 * ({@link Search#INLINE}) or, for live streams, on a search thread of its own
 * ({@link Search#BACKGROUND}).
 */
public final class Segmenter implements AutoCloseable {

    /** Where a frame without a tracked person runs the small-person tile search (12 detector runs). */
    public enum Search {
        /**
         * On the frame, before its result: every frame gets the best answer the models give, in
         * the same order every time (replay, files, still images, training pairs).
         */
        INLINE,
        /**
         * On the search thread while the frame goes on without it, the detections tried on the
         * stream's next frame: a live stream is never held up ~150–200 ms by a whole search on one
         * thread (with the frames behind it queued, that was the live path's p99, profile §8), at
         * the price of the few frames the search takes showing nobody.
         */
        BACKGROUND
    }

    private static final Logger LOG = LoggerFactory.getLogger(Segmenter.class);
    /**
     * A background search's detections older than this many frames of their stream are not tried:
     * the person has moved on from there (a third of a second at 30 frames/s).
     */
    static final int MAX_SEARCH_AGE = 10;

    /** Pose flag below which the person counts as lost (MediaPipe's min tracking confidence). */
    static final float MIN_POSE_SCORE = 0.5f;
    private static final int N = PoseLandmarker.INPUT;
    /** Read-only fill value, shared so a frame allocates no native Scalar. */
    private static final Scalar ZERO = new Scalar(0);

    private final SegmenterConfig config;
    private final GraphModel detectorModel;
    private final GraphModel landmarkModel;
    private final PoseDetector detector;
    private final PoseLandmarker landmarker;
    private final PartRasterizer rasterizer;
    private final String modelId;
    /**
     * Tracking state per stream, dropped after {@link #STREAM_IDLE} without a frame: stream ids
     * come and go (one per webcam session or replay), and a long-running app must not keep them
     * all; a stream that comes back after that long starts again with the detector (and so a new
     * track), as its old ROI and smoothing state would be stale anyway.
     */
    private final Cache<String, StreamState> streams;
    private final AtomicLong detectorRuns = new AtomicLong();
    private final AtomicLong landmarkRuns = new AtomicLong();
    private final AtomicLong tileRuns = new AtomicLong();
    /**
     * The detector as the search thread's own session, made there ({@link #prepareBackgroundSearch}
     * or the first search): sharing the frame path's session, a 12-tile search held up that
     * session's whole-frame runs on the stream thread (a live frame took 476 ms instead of ~25,
     * profile §8).
     */
    private volatile GraphModel searchModel;
    private PoseDetector searchDetector;
    /** Runs {@link Search#BACKGROUND} tile searches, one at a time, so a search takes at most one core. */
    private final ExecutorService searcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segment-search");
        t.setDaemon(true);
        return t;
    });

    /** How long a stream's tracking state outlives its last frame. */
    static final Duration STREAM_IDLE = Duration.ofMinutes(2);

    private Segmenter(SegmenterConfig config, Ticker ticker) {
        this.config = config;
        this.streams = Caffeine.newBuilder().expireAfterAccess(STREAM_IDLE).ticker(ticker).build();
        PoseModelCache store = modelStore(config);
        this.detectorModel = GraphModel.load(store.modelJson("blazepose-detector"), config.threads(), config.precision());
        try {
            this.landmarkModel = GraphModel.load(store.modelJson(config.variant().modelName()), config.threads(), config.precision());
        } catch (RuntimeException e) {
            detectorModel.close();
            throw e;
        }
        this.detector = new PoseDetector(detectorModel);
        this.landmarker = new PoseLandmarker(landmarkModel);
        this.rasterizer = new PartRasterizer(config.schema() == SegmenterConfig.Schema.DETAILED);
        try {
            warmUp();
        } catch (RuntimeException e) {
            detectorModel.close();
            landmarkModel.close();
            throw e;
        }
        this.modelId = config.variant().modelName() + "@human-models-" + PoseModelCache.VERSION;
    }

    /**
     * One run of each model on a blank input. A session's first run optimises its graph and makes
     * TensorFlow's kernels, about half a second; without this it fell on whichever frame first had
     * a person, and in a live stream the frames behind that one queued (bench-path live: a 537 ms
     * frame in the measured run when the warm-up stream had not yet found anybody, profile §8).
     */
    private void warmUp() {
        try (Mat blank = new Mat(N, N, CV_8UC3, ZERO)) {
            detector.detect(blank);
            landmarker.estimate(blank, new Roi(N / 2.0, N / 2.0, N, 0));
        }
    }

    private static PoseModelCache modelStore(SegmenterConfig config) {
        return config.modelDir() == null ? PoseModelCache.defaultCache() : new PoseModelCache(config.modelDir());
    }

    /** Loads the models (fetching them once if needed); the first call also unpacks TensorFlow's natives. */
    public static Segmenter create(SegmenterConfig cfg) {
        return new Segmenter(cfg, Ticker.systemTicker());
    }

    /** As {@link #create(SegmenterConfig)}, with the clock that ages idle streams (tests). */
    static Segmenter create(SegmenterConfig cfg, Ticker ticker) {
        return new Segmenter(cfg, ticker);
    }

    public SegmenterConfig config() {
        return config;
    }

    public String modelId() {
        return modelId;
    }

    /**
     * Segments frame {@code seq} of {@code streamId}, continuing that stream's tracking. A track
     * the detector starts on this frame is named after {@code seq} ({@code TrackIds.of}), so
     * re-processing the same frames names the same tracks.
     */
    public SegmentationResult segment(String streamId, long seq, Mat bgrFrame) {
        return segmentNumbered(streamId, seq, bgrFrame, Search.INLINE);
    }

    /** As {@link #segment(String, long, Mat)}, with the small-person search where {@code search} says. */
    public SegmentationResult segment(String streamId, long seq, Mat bgrFrame, Search search) {
        return segmentNumbered(streamId, seq, bgrFrame, search);
    }

    /**
     * As {@link #segment(String, long, Mat)} for callers without frame numbers (files,
     * benchmarks): frames are numbered by arrival, counting from 0 when the stream's tracking
     * state was created.
     */
    public SegmentationResult segment(String streamId, Mat bgrFrame) {
        return segmentNumbered(streamId, null, bgrFrame, Search.INLINE);
    }

    private SegmentationResult segmentNumbered(String streamId, Long seq, Mat bgrFrame, Search search) {
        if (bgrFrame == null || bgrFrame.empty() || bgrFrame.channels() != 3) {
            throw new IllegalArgumentException("frame of stream " + streamId + " is not a 3-channel BGR image");
        }
        StreamState state = streams.get(streamId, StreamState::new);
        synchronized (state) {
            long frameSeq = seq != null ? seq : state.arrivals;
            state.arrivals++;
            return segmentTracked(state, frameSeq, bgrFrame, search);
        }
    }

    /** How often the person detector ran (first frames and re-acquisitions); tracking keeps this low. */
    public long detectorRuns() {
        return detectorRuns.get();
    }

    /** Tiles the small-person detector pass has run, all frames together. */
    public long tileRuns() {
        return tileRuns.get();
    }

    /** How often the landmark model ran. */
    public long landmarkRuns() {
        return landmarkRuns.get();
    }

    /** Drops a stream's tracking state (its next frame starts with the detector). */
    public void forget(String streamId) {
        streams.invalidate(streamId);
    }

    /** Streams whose tracking state is held (idle ones past {@link #STREAM_IDLE} are dropped first). */
    long trackedStreams() {
        streams.cleanUp();
        return streams.estimatedSize();
    }

    /** Whether a background search of the stream is still running (tests). */
    boolean searching(String streamId) {
        StreamState state = streams.getIfPresent(streamId);
        if (state == null) {
            return false;
        }
        synchronized (state) {
            return state.search != null && !state.search.result.isDone();
        }
    }

    private SegmentationResult segmentTracked(StreamState state, long seq, Mat frame, Search search) {
        long t0 = System.nanoTime();
        PoseEstimate estimate = null;
        if (state.roi != null) {
            estimate = landmarker.estimate(frame, state.roi);
            landmarkRuns.incrementAndGet();
            if (estimate.score() < MIN_POSE_SCORE) {
                estimate = null; // lost: re-acquire with the detector on this same frame
            }
        }
        String trackId;
        if (estimate != null && TrackAssigner.jumped(state.roi, PoseLandmarker.nextRoi(estimate))) {
            // the landmarks landed on someone else: a new track, smoothed afresh so two people are not blended
            state.reset(config.smoothing());
            trackId = state.tracks.acquired(seq);
        } else if (estimate != null) {
            trackId = state.tracks.followed(seq);
        } else {
            Roi lost = state.roi;
            state.reset(config.smoothing());
            detectorRuns.incrementAndGet();
            List<Detection> found = detector.detect(frame);
            int near = -1;
            if (found.isEmpty() && lost != null) {
                // a tracked person lost on this frame is most likely still where they were: the
                // tile around that place first, one detector run instead of a whole round of 12
                near = PoseDetector.tileAround(frame.cols(), frame.rows(), lost.cx(), lost.cy());
                tileRuns.incrementAndGet();
                found = detector.detectTiled(frame, near, 1);
            }
            if (found.isEmpty()) {
                found = search == Search.BACKGROUND ? searchBehind(state, frame) : tiled(state, frame, near);
            } else {
                state.nextTile = 0;
            }
            Detection best = found.stream()
                    .max(Comparator.comparingDouble(Detection::score).thenComparingDouble(Detection::area))
                    .orElse(null);
            if (best != null) {
                estimate = landmarker.estimate(frame, best.roi());
                landmarkRuns.incrementAndGet();
                if (estimate.score() < MIN_POSE_SCORE) {
                    estimate = null;
                }
            }
            trackId = estimate != null ? state.tracks.acquired(seq) : state.tracks.nobody();
        }
        long inference = System.nanoTime() - t0;
        if (estimate == null) {
            return new SegmentationResult(new Mat(frame.rows(), frame.cols(), CV_8UC1, ZERO), List.of(), 0f,
                    modelId, inference, trackId);
        }
        state.searched = false;
        state.search = null; // a search still running is for a person now found: its answer is not needed
        state.roi = PoseLandmarker.nextRoi(estimate);
        float[] lm = estimate.frame().clone();
        if (state.smoother != null) {
            state.smoother.smooth(lm, estimate.roi().size());
        }
        return new SegmentationResult(classMap(estimate, frame.cols(), frame.rows()), landmarks(lm), estimate.score(),
                modelId, inference, trackId);
    }

    /**
     * The small-person pass. The first frame without anybody (a stream's first frame, a still
     * image, the frame a person is lost on) runs every tile. With {@code detectorTiles} set, each
     * following frame without anybody runs that many tiles and the next one continues where it
     * stopped, so a stretch of empty frames costs a few detector runs a frame, not thirteen; a
     * person who walks in small, where only a tile finds them, is acquired up to a round of tiles
     * later (four frames at 3 a frame). {@code tried}: a tile this frame already searched (the
     * one around a just-lost person), left out of the whole pass; -1 for none.
     */
    private List<Detection> tiled(StreamState state, Mat frame, int tried) {
        int perFrame = config.detectorTiles();
        int total = PoseDetector.tileCount(frame.cols(), frame.rows());
        if (perFrame == 0 || !state.searched) {
            // every tile, as one batch; a tile that found nobody adds nothing to the merged detections
            int first = tried < 0 ? 0 : tried + 1;
            int count = tried < 0 ? total : total - 1;
            tileRuns.addAndGet(count);
            List<Detection> found = detector.detectTiled(frame, first, count);
            state.searched = found.isEmpty();
            state.nextTile = 0;
            return found;
        }
        int n = Math.min(perFrame, total);
        tileRuns.addAndGet(n);
        int first = state.nextTile % total;
        List<Detection> found = detector.detectTiled(frame, first, n);
        state.nextTile = found.isEmpty() ? (first + n) % total : 0;
        return found;
    }

    /**
     * {@link Search#BACKGROUND}'s small-person pass. A finished search's detections (from an
     * earlier frame, at most {@link #MAX_SEARCH_AGE} frames back) are returned for the landmark
     * model to try on this frame; otherwise nobody, and a search of a copy of this frame starts on
     * the search thread unless one is running. After a whole search found nobody, the next starts
     * {@code 12 / detectorTiles} frames after it (the same tiles a frame as {@link Search#INLINE}'s
     * spread pass; 0: straight away). A search runs every tile, the one this frame searched around
     * a just-lost person too, so every batch has the shape {@link #prepareBackgroundSearch} readied.
     */
    private List<Detection> searchBehind(StreamState state, Mat frame) {
        BackgroundSearch done = state.search;
        if (done != null && done.result.isDone()) {
            state.search = null;
            List<Detection> found = done.detections();
            if (!found.isEmpty() && state.arrivals - done.arrival <= MAX_SEARCH_AGE) {
                return found;
            }
            state.searched = found.isEmpty();
        }
        int total = PoseDetector.tileCount(frame.cols(), frame.rows());
        int perFrame = config.detectorTiles();
        boolean due = !state.searched || perFrame == 0
                || state.arrivals - state.lastSearch >= (total + perFrame - 1) / perFrame;
        if (state.search == null && due) {
            tileRuns.addAndGet(total);
            Mat copy = frame.clone();
            state.lastSearch = state.arrivals;
            state.search = new BackgroundSearch(state.arrivals, CompletableFuture.supplyAsync(() -> {
                try (copy) {
                    return searchDetector().detectTiled(copy, 0, total);
                }
            }, searcher));
        }
        return List.of();
    }

    /**
     * Readies {@link Search#BACKGROUND} before live frames come: on the search thread, loads its
     * detector session and runs one whole search of a blank 640×480 frame (12 tiles, the batch a
     * search of a frame of that shape runs). Until then, the first search of a live stream loaded
     * the session and made TensorFlow's kernels for the batch while the stream thread's own model
     * runs waited for about half a second (bench-path live: one 430–490 ms frame, 20 frames queued
     * behind it, profile §8). Returns at once; searches submitted later queue behind this. Once
     * the session exists (an earlier live app on this Segmenter, or a search) there is nothing to do.
     */
    public void prepareBackgroundSearch() {
        searcher.execute(() -> {
            if (searchDetector != null) {
                return;
            }
            try (Mat blank = new Mat(480, 640, CV_8UC3, ZERO)) {
                searchDetector().detectTiled(blank, 0, PoseDetector.tileCount(blank.cols(), blank.rows()));
            } catch (RuntimeException e) {
                LOG.warn("could not ready the background search; the first live search readies it", e);
            }
        });
    }

    /** The search thread's detector (only that thread calls this). */
    private PoseDetector searchDetector() {
        if (searchDetector == null) {
            searchModel = GraphModel.load(modelStore(config).modelJson("blazepose-detector"), config.threads(),
                    config.precision());
            searchDetector = new PoseDetector(searchModel);
        }
        return searchDetector;
    }

    /** A tile search started on the stream's frame number {@code arrival} (counted as {@code StreamState.arrivals}). */
    private record BackgroundSearch(long arrival, CompletableFuture<List<Detection>> result) {

        /** The finished search's detections; one that failed is logged and counts as nobody found. */
        List<Detection> detections() {
            try {
                return result.join();
            } catch (RuntimeException e) {
                LOG.warn("background small-person search failed; counted as nobody found", e);
                return List.of();
            }
        }
    }

    /**
     * Part ids rasterized in the crop, warped into the frame and cut by the frame-resolution mask.
     * Only the ROI's bounding box of the frame is warped: everything outside it is background
     * anyway, and a person seldom covers more than a fifth of the frame, so this skips most of
     * the two full-frame warps that were a third of the Segmenter's own work.
     */
    private Mat classMap(PoseEstimate e, int width, int height) {
        byte[] parts = new byte[N * N];
        rasterizer.rasterize(e.crop(), e.cropMask(), 0.05f, N, N, parts);
        Mat out = new Mat(height, width, CV_8UC1, ZERO);
        int[] box = frameBox(e.roi(), width, height);
        if (box == null) {
            return out;
        }
        int bw = box[2] - box[0];
        int bh = box[3] - box[1];
        try (Mat m = e.roi().cropToFrame(N);
             BytePointer partsPtr = new BytePointer(parts);
             FloatPointer maskPtr = new FloatPointer(e.cropMask());
             Mat cropParts = new Mat(N, N, CV_8UC1, partsPtr);
             Mat cropMask = new Mat(N, N, CV_32F, maskPtr);
             Mat boxParts = new Mat();
             Mat boxMask = new Mat();
             Size size = new Size(bw, bh);
             Rect rect = new Rect(box[0], box[1], bw, bh);
             Mat target = new Mat(out, rect)) {
            shift(m, -box[0], -box[1]);
            warpAffine(cropParts, boxParts, m, size, INTER_NEAREST, BORDER_CONSTANT, ZERO);
            warpAffine(cropMask, boxMask, m, size, INTER_LINEAR, BORDER_CONSTANT, ZERO);
            // mask > 0.5 straight to an 8-bit mask (no thresholded float copy to convert)
            try (MatExpr above = greaterThan(boxMask, 0.5); Mat person = above.asMat()) {
                boxParts.copyTo(target, person);
            }
        }
        return out;
    }

    /** The ROI's bounding box in the frame, a pixel of margin for interpolation, clipped: {x0, y0, x1, y1}, or null. */
    static int[] frameBox(Roi roi, int width, int height) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int u = 0; u <= N; u += N) {
            for (int v = 0; v <= N; v += N) {
                minX = Math.min(minX, roi.frameX(u, v, N));
                maxX = Math.max(maxX, roi.frameX(u, v, N));
                minY = Math.min(minY, roi.frameY(u, v, N));
                maxY = Math.max(maxY, roi.frameY(u, v, N));
            }
        }
        int x0 = (int) Math.max(0, Math.floor(minX) - 1);
        int y0 = (int) Math.max(0, Math.floor(minY) - 1);
        int x1 = (int) Math.min(width, Math.ceil(maxX) + 2);
        int y1 = (int) Math.min(height, Math.ceil(maxY) + 2);
        return x1 <= x0 || y1 <= y0 ? null : new int[] {x0, y0, x1, y1};
    }

    /** Adds (dx, dy) to the translation of a 2×3 CV_64F affine matrix. */
    private static void shift(Mat affine, double dx, double dy) {
        try (DoubleIndexer idx = affine.createIndexer()) {
            idx.put(0, 2, idx.get(0, 2) + dx);
            idx.put(1, 2, idx.get(1, 2) + dy);
        }
    }

    private static List<Landmark> landmarks(float[] lm) {
        List<Landmark> out = new ArrayList<>(33);
        for (int i = 0; i < 33; i++) {
            int o = i * PoseEstimate.STRIDE;
            out.add(Landmark.newBuilder().setX(lm[o]).setY(lm[o + 1]).setZ(lm[o + 2]).setVisibility(lm[o + 3]).build());
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        searcher.shutdownNow();
        try {
            // a search in a model run cannot be interrupted; it ends within one run (~200 ms)
            if (!searcher.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a background search is still running; closing the models under it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (searchModel != null) {
            searchModel.close();
        }
        detectorModel.close();
        landmarkModel.close();
    }

    private static final class StreamState {
        final TrackAssigner tracks;
        /** Frames seen, the seq of frames segmented without one. */
        long arrivals;
        Roi roi;
        LandmarkSmoother smoother;
        /** Where the spread small-person pass continues on the stream's next frame without anybody. */
        int nextTile;
        /** A whole small-person pass found nobody since the stream last had a person. */
        boolean searched;
        /** The background search started for this stream and not yet taken up, or null. */
        BackgroundSearch search;
        /** {@link #arrivals} when the last background search started. */
        long lastSearch;

        StreamState(String streamId) {
            tracks = new TrackAssigner(streamId);
        }

        void reset(boolean smoothing) {
            roi = null;
            smoother = smoothing ? new LandmarkSmoother() : null;
        }
    }
}
