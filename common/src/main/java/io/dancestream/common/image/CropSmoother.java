package io.dancestream.common.image;

/**
 * A steady person crop from frame to frame: the centre and side of each frame's
 * {@link PersonCrop} go through a {@link OneEuroFilter}, so the box does not follow every
 * flicker of the part map's outline (an arm's pixel more or less moves and rescales the whole
 * crop, and the generator paints every pixel of the crop anew) while a walking person is still
 * followed closely. Time advances by 1/30 s per seq, as segment-stream's landmark smoother does,
 * so replay at any pace smooths as live does. State lives outside ({@link State}), so
 * transfer-stream keeps it per stream in a changelogged store.
 */
public final class CropSmoother {

    /** Frame rate the filter assumes per seq step. */
    static final double FPS = 30;
    /**
     * Defaults chosen, not tuned: about 1 Hz of smoothing for a still person and +1 Hz per 50 px/s of
     * motion; their effect was measured (docs/temporal-coherence.md), other values were not tried.
     */
    public static final double DEFAULT_MIN_CUTOFF = 1.0;
    public static final double DEFAULT_BETA = 0.02;
    private static final double DERIVATIVE_CUTOFF = 1.0;

    private final double minCutoff;
    private final double beta;
    private final int maxGap;

    /** The filter's state after a frame: its seq and, per filtered value, value and speed (pixels, pixels/s). */
    public record State(long seq, double cx, double dcx, double cy, double dcy, double side, double dside) {
    }

    /** A frame's smoothed crop and the state to pass with the next frame. */
    public record Step(PersonCrop crop, State state) {
    }

    /**
     * @param maxGap a frame more than this many seqs after the state starts the filter over (the
     *     person may have moved anywhere meanwhile)
     */
    public CropSmoother(double minCutoff, double beta, int maxGap) {
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.maxGap = maxGap;
    }

    public static CropSmoother defaults(int maxGap) {
        return new CropSmoother(DEFAULT_MIN_CUTOFF, DEFAULT_BETA, maxGap);
    }

    /** The crop to render frame {@code seq} at, given the raw crop around its person and the previous state (null: none). */
    public Step next(State previous, long seq, PersonCrop raw) {
        double cx = raw.centerX();
        double cy = raw.centerY();
        double side = raw.side();
        long gap = previous == null ? 0 : seq - previous.seq();
        if (previous == null || gap < 1 || gap > maxGap) {
            return new Step(raw, new State(seq, cx, 0, cy, 0, side, 0));
        }
        double dt = gap / FPS;
        OneEuroFilter fx = filter().restore(previous.cx(), previous.dcx());
        OneEuroFilter fy = filter().restore(previous.cy(), previous.dcy());
        OneEuroFilter fs = filter().restore(previous.side(), previous.dside());
        double sx = fx.filter(cx, dt);
        double sy = fy.filter(cy, dt);
        // never smaller than the raw crop's person: a lagging box must not cut the person off
        double ss = Math.max(fs.filter(side, dt), side / (1 + 2 * PersonCrop.MARGIN) * (1 + PersonCrop.MARGIN));
        int s = Math.max(1, (int) Math.round(ss));
        PersonCrop crop = new PersonCrop((int) Math.round(sx - s / 2.0), (int) Math.round(sy - s / 2.0), s);
        return new Step(crop, new State(seq, fx.value(), fx.derivative(), fy.value(), fy.derivative(), fs.value(),
                fs.derivative()));
    }

    private OneEuroFilter filter() {
        return new OneEuroFilter(minCutoff, beta, DERIVATIVE_CUTOFF);
    }
}
