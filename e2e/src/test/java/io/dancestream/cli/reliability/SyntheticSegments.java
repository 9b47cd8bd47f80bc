package io.dancestream.cli.reliability;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Well-formed Segmentation records with a real PNG class map (a torso_front block on
 * background). They stand in for segment-stream's output where a test is about transport,
 * not about pose estimation.
 */
final class SyntheticSegments {

    static final int TORSO_FRONT = 13;

    private SyntheticSegments() {
    }

    static byte[] classMapPng(int w, int h, int id) {
        try (Mat m = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0));
             Mat roi = m.apply(new Rect(w / 4, h / 6, Math.max(1, w / 2), Math.max(1, 2 * h / 3)))) {
            roi.put(new Scalar(id));
            return ImageCodec.encodePng(m);
        }
    }

    static Segmentation.Builder of(String stream, long seq, long captureUs, int w, int h) {
        return Segmentation.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                .setWidth(w).setHeight(h).setClassMap(ByteString.copyFrom(classMapPng(w, h, TORSO_FRONT)))
                .setModelId("synthetic").setSource("model").setSchema("bodypix24")
                .addTimings(Timings.stage("segment", captureUs, captureUs + 1000));
    }
}
