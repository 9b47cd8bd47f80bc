package io.dancestream.viewer;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Real records with real OpenCV-encoded images whose content changes with seq. */
final class TestImages {

    static final int W = 160;
    static final int H = 120;
    static final String SOURCE = "test:synthetic";

    private TestImages() {
    }

    /** A JPEG: grey background, a block whose position and colour depend on seq. */
    static byte[] jpeg(long seq, int hueShift) {
        try (Mat m = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(60, 60, 60, 0))) {
            int x = (int) (seq * 7 % (W - 40));
            Scalar c = new Scalar((seq * 40 + hueShift) % 256, (seq * 90) % 256, 255 - (seq * 30) % 256, 0);
            opencv_imgproc.rectangle(m, new Point(x, 20), new Point(x + 40, 100), c, -1, opencv_imgproc.LINE_8, 0);
            return ImageCodec.encodeJpeg(m);
        }
    }

    /** An 8-bit class-map PNG: background with a block of part id {@code (seq % 24) + 1}. */
    static byte[] classMap(long seq) {
        try (Mat m = new Mat(H, W, opencv_core.CV_8UC1, new Scalar(0))) {
            int x = (int) (seq * 5 % (W - 50));
            try (Mat roi = new Mat(m, new Rect(x, 10, 50, 100))) {
                roi.put(new Scalar((seq % 24) + 1));
            }
            return ImageCodec.encodePng(m);
        }
    }

    static Frame frame(String stream, long seq, long captureUs) {
        return frame(stream, seq, captureUs, SOURCE);
    }

    static Frame frame(String stream, long seq, long captureUs, String source) {
        return Frame.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                .setWidth(W).setHeight(H).setJpeg(ByteString.copyFrom(jpeg(seq, 0))).setSource(source).build();
    }

    static Segmentation segmentation(String stream, long seq, long captureUs) {
        return Segmentation.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                .setWidth(W).setHeight(H).setClassMap(ByteString.copyFrom(classMap(seq)))
                .setModelId("blazepose-full").build();
    }

    static Rendered rendered(String stream, long seq, long captureUs) {
        return Rendered.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                .setWidth(W).setHeight(H).setJpeg(ByteString.copyFrom(jpeg(seq, 128)))
                .setGeneratorVersion("v7").build();
    }

    static long now() {
        return Timings.nowMicros();
    }
}
