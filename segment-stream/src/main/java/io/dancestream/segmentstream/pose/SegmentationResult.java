package io.dancestream.segmentstream.pose;

import io.dancestream.common.proto.Landmark;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The segmentation of one frame. "No person" is a normal result: an all-background class map,
 * no landmarks, score 0. The caller owns (and closes) {@code classMap}.
 *
 * @param classMap       CV_8UC1 at frame size; 0 = background, 1..24 BodyPix parts (25..30 face
 *                       details in the detailed schema)
 * @param landmarks      the 33 BlazePose landmarks in frame pixels (z on the x scale, visibility
 *                       in [0,1]); empty when no person
 * @param personScore    BlazePose's pose presence score in [0,1]; 0 when no person
 * @param modelId        model name and version, e.g. "blazepose-full@human-models-3.0.4"
 * @param inferenceNanos time spent in TensorFlow for this frame (detector + landmark model)
 * @param trackId        the person's continuous track ({@code TrackIds}); {@code TrackIds.NONE} ("")
 *                       when no person
 */
public record SegmentationResult(Mat classMap, List<Landmark> landmarks, float personScore, String modelId,
                                 long inferenceNanos, String trackId) {

    public boolean hasPerson() {
        return !landmarks.isEmpty();
    }
}
