package io.dancestream.trainer.data;

import io.dancestream.common.image.PersonCrop;

/**
 * One decoded training pair at a square size: class ids (size²) and the frame as RGB bytes
 * (size²·3), row-major, cut at {@code crop} (the person crop in frame pixels; null where not
 * known). The two-frame generator needs the crop to re-project one frame's render into the next
 * frame's crop, as transfer-stream does.
 */
public record Sample(String streamId, long seq, int size, byte[] classIds, byte[] rgb, PersonCrop crop) {

    public Sample {
        if (classIds.length != size * size || rgb.length != size * size * 3) {
            throw new IllegalArgumentException("sample arrays do not match size " + size);
        }
    }

    public Sample(String streamId, long seq, int size, byte[] classIds, byte[] rgb) {
        this(streamId, seq, size, classIds, rgb, null);
    }
}
