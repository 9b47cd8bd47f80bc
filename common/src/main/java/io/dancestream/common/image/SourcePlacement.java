package io.dancestream.common.image;

/**
 * "Source placement": where the source person's crop goes in the output frame (the plate's
 * scene). The crop's centre keeps its relative position in the frame and its side keeps its
 * fraction of the frame height, so a source of another size maps in proportionally without
 * stretching the person. Pose normalization (issue 18 item 4) is meant to replace this step.
 */
public final class SourcePlacement {

    private SourcePlacement() {
    }

    /** The crop {@code box} of a srcW×srcH frame, placed in a dstW×dstH frame. */
    public static PersonCrop place(PersonCrop box, int srcW, int srcH, int dstW, int dstH) {
        if (srcW == dstW && srcH == dstH) {
            return box;
        }
        double sx = (double) dstW / srcW;
        double sy = (double) dstH / srcH;
        int side = Math.max(1, (int) Math.round(box.side() * sy));
        double cx = box.centerX() * sx;
        double cy = box.centerY() * sy;
        return new PersonCrop((int) Math.round(cx - side / 2.0), (int) Math.round(cy - side / 2.0), side);
    }
}
