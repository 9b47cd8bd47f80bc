package io.dancestream.common.image;

/**
 * Global pose normalization (Everybody Dance Now §3.2) on part maps: maps the source person's
 * box into the target's framing, so a source filmed bigger, smaller or elsewhere in the frame
 * dances where and at the size the target stood in its training frames.
 *
 * <p>The source foot's position between its farthest and closest observed positions picks the
 * same relative position between the target's; the scale is the target/source height ratio,
 * interpolated linearly between the ratio at the far end and the one at the near end. The mapping
 * is a similarity (one scale, a translation): the foot lands at the target's position, the
 * horizontal centre moves by the scaled offset from the source's mean centre to the target's.
 * When the source's near and far feet coincide (it never moved in depth, or one frame was seen)
 * there is nothing to interpolate: the scale is the height ratio alone and the feet map to the
 * middle of the target's range.
 */
public final class PoseNormalization {

    /** Source feet closer than this (pixels) count as one position. */
    static final double MIN_SPAN_PX = 1.0;

    private PoseNormalization() {
    }

    /** x' = scale·x + dx, y' = scale·y + dy: source frame pixels to target frame pixels. */
    public record Transform(double scale, double dx, double dy) {

        public PersonCrop apply(PersonCrop c) {
            int side = Math.max(1, (int) Math.round(c.side() * scale));
            double cx = scale * c.centerX() + dx;
            double cy = scale * c.centerY() + dy;
            return new PersonCrop((int) Math.round(cx - side / 2.0), (int) Math.round(cy - side / 2.0), side);
        }

        public PersonBox apply(PersonBox b) {
            int x0 = (int) Math.round(scale * b.x() + dx);
            int y0 = (int) Math.round(scale * b.y() + dy);
            int x1 = (int) Math.round(scale * (b.x() + b.width()) + dx);
            int y1 = (int) Math.round(scale * (b.y() + b.height()) + dy);
            return new PersonBox(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        }
    }

    /**
     * The transform for one source frame whose person box is {@code box}, given the source's and
     * the target's statistics (each in its own frame's pixels, neither empty).
     */
    public static Transform between(PersonBox box, FramingStats source, FramingStats target) {
        if (source.isEmpty() || target.isEmpty()) {
            throw new IllegalArgumentException("pose normalization needs statistics of both videos");
        }
        double foot = box.footY();
        double scale;
        double targetFoot;
        if (source.footSpan() < MIN_SPAN_PX) {
            double sourceHeight = Math.max(source.nearHeight(), source.farHeight());
            double targetHeight = (target.nearHeight() + target.farHeight()) / 2;
            scale = targetHeight / sourceHeight;
            double sourceMid = (source.nearFootY() + source.farFootY()) / 2;
            targetFoot = (target.nearFootY() + target.farFootY()) / 2 + scale * (foot - sourceMid);
        } else {
            double t = (foot - source.farFootY()) / source.footSpan();
            // beyond the observed range a linear scale would keep growing or shrink towards nothing:
            // hold the end's ratio there, while the feet keep moving with t
            double tc = Math.min(1, Math.max(0, t));
            double farRatio = target.farHeight() / source.farHeight();
            double nearRatio = target.nearHeight() / source.nearHeight();
            scale = farRatio + tc * (nearRatio - farRatio);
            targetFoot = target.farFootY() + t * target.footSpan();
        }
        double dy = targetFoot - scale * foot;
        double dx = target.meanCenterX() - scale * source.meanCenterX();
        return new Transform(scale, dx, dy);
    }
}
