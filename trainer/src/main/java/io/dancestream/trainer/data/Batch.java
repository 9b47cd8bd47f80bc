package io.dancestream.trainer.data;

/**
 * One training batch as the graph takes it: class ids [n,s,s] and RGB images in [-1,1]
 * [n,s,s,3], row-major. A two-frame model's batch also holds each item's previous frame
 * ({@code previous}, same layout) and per item the CropAndResize box [y1,x1,y2,x2] that carries the
 * previous frame's crop into this one's ({@code reprojection}, n·4); both null otherwise.
 */
public record Batch(int n, int size, byte[] classIds, float[] rgb, Batch previous, float[] reprojection) {

    public Batch {
        if (classIds.length != n * size * size || rgb.length != n * size * size * 3) {
            throw new IllegalArgumentException("batch arrays do not match n=" + n + ", size=" + size);
        }
        if ((previous == null) != (reprojection == null)
                || previous != null && (previous.n() != n || previous.size() != size || reprojection.length != 4 * n)) {
            throw new IllegalArgumentException("a pair batch needs a previous batch of the same shape and n*4 reprojection boxes");
        }
    }

    public Batch(int n, int size, byte[] classIds, float[] rgb) {
        this(n, size, classIds, rgb, null, null);
    }
}
