package io.dancestream.segmentstream.quantize;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A quantized mask: the class map (CV_8UC1, frame size, ids 0..24; the caller closes it), the
 * share of pixels no class was near (they became background) and the share of person pixels.
 */
public record QuantizedMask(Mat classMap, double unmatchedFraction, double foregroundFraction) {
}
