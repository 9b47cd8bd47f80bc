package io.dancestream.segmentstream.pose;

import io.dancestream.common.image.OneEuroFilter;

/**
 * One Euro filtering of the 33 landmarks of one stream, as MediaPipe's pose graph does it:
 * coordinates are divided by the ROI size first, so the same parameters suit near and far
 * dancers (min cutoff 0.05 Hz, beta 80, derivative cutoff 1 Hz). Time advances one frame at
 * 30 fps per call: replay runs faster than real time and must smooth the same way as live.
 */
final class LandmarkSmoother {

    private static final double DT = 1.0 / 30;
    private final OneEuroFilter[] filters = new OneEuroFilter[33 * 3];

    LandmarkSmoother() {
        for (int i = 0; i < filters.length; i++) {
            filters[i] = new OneEuroFilter(0.05, 80, 1.0);
        }
    }

    /** Smooths x, y, z of the first 33 landmarks of {@code frame} (stride 5) in place. */
    void smooth(float[] frame, double scale) {
        for (int i = 0; i < 33; i++) {
            for (int c = 0; c < 3; c++) {
                int o = i * PoseEstimate.STRIDE + c;
                frame[o] = (float) (filters[i * 3 + c].filter(frame[o] / scale, DT) * scale);
            }
        }
    }
}
