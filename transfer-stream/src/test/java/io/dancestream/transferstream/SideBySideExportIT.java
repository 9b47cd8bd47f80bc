package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side video read back with FFmpeg: frame count, size, and each panel's pixels. */
@ExtendWith(EmbeddedKafkaExtension.class)
class SideBySideExportIT {

    private static final int W = TestSegments.WIDTH;
    private static final int H = TestSegments.HEIGHT;
    /** MPEG-4 at qscale 3 with 4:2:0 chroma: flat colours come back within this. */
    private static final int VIDEO_TOLERANCE = 25;

    @TempDir
    Path dir;

    @Test
    void writesSourcePartsAndRenderSideBySideWithGreyWhereARenderIsMissing(EmbeddedKafkaBroker broker) throws Exception {
        var clients = broker.clients();
        Topics topics = TestTopics.created(clients, "sidebyside");
        byte[] blue = solidJpeg(new Scalar(200, 60, 20, 0));   // BGR
        byte[] green = solidJpeg(new Scalar(40, 200, 20, 0));
        long t0 = io.dancestream.common.records.Timings.nowMicros();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.producer("sbs-it"))) {
            for (int seq = 0; seq < 6; seq++) {
                long cap = t0 + seq * 100_000L; // 10 fps
                p.send(new ProducerRecord<>(topics.frames(), "cam1", Frame.newBuilder().setStreamId("cam1").setSeq(seq)
                        .setCaptureTimeUs(cap).setWidth(W).setHeight(H).setJpeg(ByteString.copyFrom(blue)).build()
                        .toByteArray()));
                p.send(new ProducerRecord<>(topics.segments(), "cam1", TestSegments.segment("cam1", seq, cap).toByteArray()));
                if (seq < 5) { // seq 5 was "dropped": no render
                    p.send(new ProducerRecord<>(topics.rendered(), "cam1", Rendered.newBuilder().setStreamId("cam1")
                            .setSeq(seq).setCaptureTimeUs(cap).setWidth(W).setHeight(H)
                            .setJpeg(ByteString.copyFrom(green)).setGeneratorVersion("dancer:1").build().toByteArray()));
                }
                // another stream on the same topics must not leak in
                p.send(new ProducerRecord<>(topics.frames(), "cam2", Frame.newBuilder().setStreamId("cam2").setSeq(seq)
                        .setCaptureTimeUs(cap).setWidth(W).setHeight(H).setJpeg(ByteString.copyFrom(green)).build()
                        .toByteArray()));
            }
        }
        Path out = dir.resolve("side.mp4");
        var summary = new SideBySideExport(clients, topics, "cam1").write(out, 0, Integer.MAX_VALUE);
        assertThat(summary.frames()).isEqualTo(6);
        assertThat(summary.withRender()).isEqualTo(5);
        assertThat(summary.fps()).isCloseTo(10.0, within(0.01));

        List<int[][]> panels = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(3 * W);
            assertThat(g.getImageHeight()).isEqualTo(H);
            for (org.bytedeco.javacv.Frame f; (f = g.grabImage()) != null; ) {
                Mat m = conv.convert(f);
                try (UByteIndexer idx = m.createIndexer()) {
                    int[] in = TestSegments.IN_PERSON;
                    int[] bg = TestSegments.IN_BACKGROUND;
                    panels.add(new int[][] {
                        rgb(idx, in[0], in[1]),               // source
                        rgb(idx, in[0], W + in[1]),           // parts: torso
                        rgb(idx, bg[0], W + bg[1]),           // parts: background
                        rgb(idx, in[0], 2 * W + in[1])});     // render
                }
            }
            g.stop();
        }
        assertThat(panels).hasSize(6);
        BodyPart torso = BodyPart.ofId(TestSegments.TORSO);
        for (int i = 0; i < 6; i++) {
            close(panels.get(i)[0], 20, 60, 200);
            close(panels.get(i)[1], torso.red(), torso.green(), torso.blue());
            close(panels.get(i)[2], 255, 255, 255);
            if (i < 5) {
                close(panels.get(i)[3], 20, 200, 40);
            } else {
                close(panels.get(i)[3], 128, 128, 128);
            }
        }
    }

    private static byte[] solidJpeg(Scalar bgr) {
        try (Mat m = new Mat(H, W, opencv_core.CV_8UC3, bgr)) {
            return ImageCodec.encodeJpeg(m, 95);
        }
    }

    private static int[] rgb(UByteIndexer idx, int y, int x) {
        return new int[] {idx.get(y, x, 2), idx.get(y, x, 1), idx.get(y, x, 0)};
    }

    private static void close(int[] actual, int r, int g, int b) {
        assertThat(actual[0]).as("red of %s", java.util.Arrays.toString(actual)).isCloseTo(r, within(VIDEO_TOLERANCE));
        assertThat(actual[1]).as("green of %s", java.util.Arrays.toString(actual)).isCloseTo(g, within(VIDEO_TOLERANCE));
        assertThat(actual[2]).as("blue of %s", java.util.Arrays.toString(actual)).isCloseTo(b, within(VIDEO_TOLERANCE));
    }
}
