package io.dancestream.ingest.source;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One frame from a source: a BGR image, the source's media time (µs from the start of the
 * media, or -1 for live sources), the wall-clock time it was grabbed, and for paired captures
 * its colour mask. A frame that is not {@code owned} is a view of the source's buffer, valid
 * only until the source's next {@code next()}; {@link #detached()} makes an owned copy.
 */
public final class CapturedFrame implements AutoCloseable {

    public final Mat image;
    public final byte[] originalJpeg;
    public final long mediaTimeUs;
    public final long grabWallUs;
    public final Mask mask;
    private final boolean owned;

    /** A captured colour mask: the decoded image (owned) and the file's bytes. */
    public record Mask(Mat image, byte[] bytes, String source) {
    }

    CapturedFrame(Mat image, boolean owned, byte[] originalJpeg, long mediaTimeUs, long grabWallUs, Mask mask) {
        this.image = image;
        this.owned = owned;
        this.originalJpeg = originalJpeg;
        this.mediaTimeUs = mediaTimeUs;
        this.grabWallUs = grabWallUs;
        this.mask = mask;
    }

    /** An owned copy that outlives the source's next grab (for the live hand-off queue). */
    public CapturedFrame detached() {
        if (owned) {
            return this;
        }
        return new CapturedFrame(image.clone(), true, originalJpeg, mediaTimeUs, grabWallUs, mask);
    }

    @Override
    public void close() {
        if (owned) {
            image.close();
        }
        if (mask != null) {
            mask.image().close();
        }
    }
}
