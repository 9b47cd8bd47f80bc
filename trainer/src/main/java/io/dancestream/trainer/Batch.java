package io.dancestream.trainer;

/**
 * One training batch as the graph takes it: class ids [n,s,s] and RGB images in [-1,1]
 * [n,s,s,3], row-major.
 */
public record Batch(int n, int size, byte[] classIds, float[] rgb) {

    public Batch {
        if (classIds.length != n * size * size || rgb.length != n * size * size * 3) {
            throw new IllegalArgumentException("batch arrays do not match n=" + n + ", size=" + size);
        }
    }
}
