package io.dancestream.segmentstream.pose;

/**
 * A person found by the BlazePose detector, in frame pixels: the box, the score, and the four
 * alignment keypoints (0 = mid-hip, 1 = full-body size/rotation point, 2 = mid-shoulder,
 * 3 = upper-body size point).
 */
public record Detection(float score, float xMin, float yMin, float xMax, float yMax, float[] keypoints) {

    /** Side of the pose ROI relative to the alignment-point circle (MediaPipe: 1.25). */
    static final double ROI_SCALE = 1.25;

    public float area() {
        return Math.max(0, xMax - xMin) * Math.max(0, yMax - yMin);
    }

    /** The landmark model's ROI for this detection (MediaPipe pose_detection_to_roi). */
    public Roi roi() {
        return Roi.fromAlignmentPoints(keypoints[0], keypoints[1], keypoints[2], keypoints[3], ROI_SCALE);
    }

    float iou(Detection o) {
        float ix = Math.max(0, Math.min(xMax, o.xMax) - Math.max(xMin, o.xMin));
        float iy = Math.max(0, Math.min(yMax, o.yMax) - Math.max(yMin, o.yMin));
        float inter = ix * iy;
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
