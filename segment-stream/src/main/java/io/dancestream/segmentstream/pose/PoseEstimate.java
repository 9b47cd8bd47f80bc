package io.dancestream.segmentstream.pose;

/**
 * One landmark-model pass over a ROI.
 *
 * @param roi        the crop the model saw
 * @param crop       39 × (x, y, z, visibility, presence) in crop pixels (0..256), visibility and
 *                   presence as probabilities
 * @param frame      the same 39 landmarks in frame pixels: x, y, z (z scaled like x), visibility,
 *                   presence
 * @param score      pose presence (the model's pose flag)
 * @param cropMask   person probability, 256×256, row-major, in the crop
 */
record PoseEstimate(Roi roi, float[] crop, float[] frame, float score, float[] cropMask) {

    static final int LANDMARKS = 39;
    static final int STRIDE = 5;

    float frameX(int i) {
        return frame[i * STRIDE];
    }

    float frameY(int i) {
        return frame[i * STRIDE + 1];
    }
}
