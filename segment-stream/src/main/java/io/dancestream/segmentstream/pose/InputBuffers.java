package io.dancestream.segmentstream.pose;

/**
 * One model-input array per thread, grown as needed and reused frame after frame. A 256×256×3
 * float input is 768 KiB and a batch of detector tiles several MiB: allocated per frame, each
 * was a humongous object for G1 (over half a heap region) and a young collection more often.
 * Safe because a model run copies its input into the tensor before the array is reused.
 */
final class InputBuffers {

    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[0]);

    private InputBuffers() {
    }

    /** An array of at least {@code length} floats owned by this thread; contents are garbage. */
    static float[] floats(int length) {
        float[] a = FLOATS.get();
        if (a.length < length) {
            a = new float[length];
            FLOATS.set(a);
        }
        return a;
    }
}
