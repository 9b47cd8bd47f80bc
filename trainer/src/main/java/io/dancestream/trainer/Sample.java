package io.dancestream.trainer;

/**
 * One decoded training pair at a square size: class ids (size²) and the frame as RGB bytes
 * (size²·3), row-major.
 */
public record Sample(String streamId, long seq, int size, byte[] classIds, byte[] rgb) {

    public Sample {
        if (classIds.length != size * size || rgb.length != size * size * 3) {
            throw new IllegalArgumentException("sample arrays do not match size " + size);
        }
    }
}
