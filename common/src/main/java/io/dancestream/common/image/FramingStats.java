package io.dancestream.common.image;

import io.dancestream.common.proto.PersonFraming;

/**
 * Where and how tall one video's person appears, for global pose normalization (Everybody Dance
 * Now §3.2): the closest foot position (largest y, nearest the camera) and the farthest (smallest
 * y), each with the body height seen there, and the mean horizontal centre. Measured on
 * {@link PersonBox}es, in that video's frame pixels. Immutable: {@link #observe} returns the
 * statistics with one more frame.
 *
 * @param frames frames observed (0: nothing known yet)
 */
public record FramingStats(int frames, double nearFootY, double nearHeight, double farFootY, double farHeight,
                           double meanCenterX) {

    public static final FramingStats NONE = new FramingStats(0, 0, 0, 0, 0, 0);

    /**
     * Feet within this fraction of the body height of an extreme count as that same position, and
     * the tallest body among them sets its height: the frame at the very extreme may show a crouch
     * or a bent knee, and the standing height is what the scale must compare. Relative to the
     * height, so the statistics of a video and of the same video scaled agree.
     */
    static final double SAME_POSITION = 0.05;

    public FramingStats {
        if (frames < 0) {
            throw new IllegalArgumentException("frames must not be negative, is " + frames);
        }
    }

    /** The statistics of {@code boxes}, observed in order. */
    public static FramingStats of(Iterable<PersonBox> boxes) {
        FramingStats s = NONE;
        for (PersonBox b : boxes) {
            s = s.observe(b);
        }
        return s;
    }

    public boolean isEmpty() {
        return frames == 0;
    }

    /** These statistics with one more frame's person box. */
    public FramingStats observe(PersonBox box) {
        double foot = box.footY();
        double h = box.height();
        if (frames == 0) {
            return new FramingStats(1, foot, h, foot, h, box.centerX());
        }
        double nf = nearFootY;
        double nh = nearHeight;
        if (Math.abs(foot - nearFootY) <= SAME_POSITION * Math.max(h, nearHeight)) {
            nf = Math.max(foot, nearFootY);
            nh = Math.max(h, nearHeight);
        } else if (foot > nearFootY) {
            nf = foot;
            nh = h;
        }
        double ff = farFootY;
        double fh = farHeight;
        if (Math.abs(foot - farFootY) <= SAME_POSITION * Math.max(h, farHeight)) {
            ff = Math.min(foot, farFootY);
            fh = Math.max(h, farHeight);
        } else if (foot < farFootY) {
            ff = foot;
            fh = h;
        }
        int n = frames + 1;
        return new FramingStats(n, nf, nh, ff, fh, meanCenterX + (box.centerX() - meanCenterX) / n);
    }

    /** Near foot y minus far foot y: how far the person moved in depth, in pixels. */
    public double footSpan() {
        return nearFootY - farFootY;
    }

    public PersonFraming toProto() {
        return PersonFraming.newBuilder().setFrames(frames).setNearFootY(nearFootY).setNearHeight(nearHeight)
                .setFarFootY(farFootY).setFarHeight(farHeight).setMeanCenterX(meanCenterX).build();
    }

    public static FramingStats fromProto(PersonFraming p) {
        return new FramingStats(p.getFrames(), p.getNearFootY(), p.getNearHeight(), p.getFarFootY(), p.getFarHeight(),
                p.getMeanCenterX());
    }
}
