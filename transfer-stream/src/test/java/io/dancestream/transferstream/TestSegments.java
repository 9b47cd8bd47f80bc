package io.dancestream.transferstream;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Segmentation records with real PNG class maps: a torso_front block on background. */
final class TestSegments {

    static final int WIDTH = 64;
    static final int HEIGHT = 48;
    static final int TORSO = 13;
    /** A pixel inside the torso block and one on the background. */
    static final int[] IN_PERSON = {24, 20};
    static final int[] IN_BACKGROUND = {24, 52};

    private TestSegments() {
    }

    /** A w×h class map: background with a torso block at (w/8, h/6), 3w/8 wide, 2h/3 high. */
    static Mat classMap(int w, int h) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0));
        try (Mat roi = m.apply(new Rect(w / 8, h / 6, 3 * w / 8, 2 * h / 3))) {
            roi.put(new Scalar(TORSO));
        }
        return m;
    }

    static byte[] classMapPng(int w, int h) {
        try (Mat m = classMap(w, h)) {
            return ImageCodec.encodePng(m);
        }
    }

    static Segmentation segment(String stream, long seq, long captureUs) {
        return segment(stream, seq, captureUs, WIDTH, HEIGHT);
    }

    static Segmentation segment(String stream, long seq, long captureUs, int w, int h) {
        return Segmentation.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                .setWidth(w).setHeight(h).setClassMap(ByteString.copyFrom(classMapPng(w, h)))
                .setModelId("test").setSource("model").setSchema("bodypix24")
                .addTimings(Timings.stage("segment", captureUs, captureUs + 1000)).build();
    }

    static Segmentation fresh(String stream, long seq) {
        return segment(stream, seq, Timings.nowMicros());
    }

    /** RGB of a pixel (row, col) of a decoded JPEG. */
    static int[] rgbAt(byte[] jpeg, int[] rowCol) {
        try (Mat img = ImageCodec.decodeColor(jpeg); UByteIndexer idx = img.createIndexer()) {
            int y = rowCol[0];
            int x = rowCol[1];
            return new int[] {idx.get(y, x, 2), idx.get(y, x, 1), idx.get(y, x, 0)};
        }
    }
}
