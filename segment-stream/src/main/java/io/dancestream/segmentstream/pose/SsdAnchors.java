package io.dancestream.segmentstream.pose;

/**
 * Anchor centres of the BlazePose person detector, generated as MediaPipe's
 * SsdAnchorsCalculator does for pose_detection (224×224 input, strides 8/16/32/32/32, two
 * anchors per layer, fixed anchor size 1): 28²·2 + 14²·2 + 7²·6 = 2254 anchors.
 */
final class SsdAnchors {

    private static final int[] STRIDES = {8, 16, 32, 32, 32};
    private static final int ANCHORS_PER_LAYER = 2; // aspect ratio 1 + interpolated scale

    private SsdAnchors() {
    }

    /** {x0, y0, x1, y1, ...} normalized anchor centres, in the detector's output order. */
    static float[] centres(int inputSize) {
        int total = 0;
        for (int layer = 0; layer < STRIDES.length; ) {
            int last = layer;
            while (last < STRIDES.length && STRIDES[last] == STRIDES[layer]) {
                last++;
            }
            int fm = (int) Math.ceil((double) inputSize / STRIDES[layer]);
            total += fm * fm * ANCHORS_PER_LAYER * (last - layer);
            layer = last;
        }
        float[] out = new float[total * 2];
        int i = 0;
        for (int layer = 0; layer < STRIDES.length; ) {
            int last = layer;
            while (last < STRIDES.length && STRIDES[last] == STRIDES[layer]) {
                last++;
            }
            int perCell = ANCHORS_PER_LAYER * (last - layer);
            int fm = (int) Math.ceil((double) inputSize / STRIDES[layer]);
            for (int y = 0; y < fm; y++) {
                for (int x = 0; x < fm; x++) {
                    for (int a = 0; a < perCell; a++) {
                        out[i++] = (x + 0.5f) / fm;
                        out[i++] = (y + 0.5f) / fm;
                    }
                }
            }
            layer = last;
        }
        return out;
    }
}
