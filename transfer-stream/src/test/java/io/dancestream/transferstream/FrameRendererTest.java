package io.dancestream.transferstream;

import static io.dancestream.transferstream.TestSegments.IN_BACKGROUND;
import static io.dancestream.transferstream.TestSegments.IN_PERSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Segmentation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** {@code --background}: the rendered person over the plate, at every frame size. */
class FrameRendererTest {

    /** The plate's colour, RGB; BGR in the Mat. */
    private static final int[] PLATE_RGB = {30, 200, 90};
    private static final int JPEG_TOLERANCE = 12;

    private static Segmentation onlyBackground(long seq, int w, int h) {
        try (Mat m = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0))) {
            return Segmentation.newBuilder().setStreamId("cam1").setSeq(seq).setWidth(w).setHeight(h)
                    .setSchema("bodypix24").setClassMap(ByteString.copyFrom(ImageCodec.encodePng(m))).build();
        }
    }

    private static byte[] render(FrameRenderer renderer, Segmentation s) {
        List<FrameRenderer.Outcome> out = renderer.render(List.of(s), null, 0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).error()).isNull();
        return out.get(0).rendered().getJpeg().toByteArray();
    }

    private static void assertColour(int[] actual, int[] expected) {
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("channel %d", c).isCloseTo(expected[c], within(JPEG_TOLERANCE));
        }
    }

    private static boolean near(int[] a, int[] b) {
        for (int c = 0; c < 3; c++) {
            if (Math.abs(a[c] - b[c]) > JPEG_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    @Test
    void composesThePersonOverThePlateAtEachFrameSize() {
        try (Mat plate = new Mat(10, 20, opencv_core.CV_8UC3, new Scalar(PLATE_RGB[2], PLATE_RGB[1], PLATE_RGB[0], 0))) {
            FrameRenderer renderer = new FrameRenderer(95, plate,
                    new TransferMeters(new DanceMetrics(new SimpleMeterRegistry())));

            byte[] first = render(renderer, TestSegments.segment("cam1", 1, 0));
            assertColour(TestSegments.rgbAt(first, IN_BACKGROUND), PLATE_RGB);
            int[] person = TestSegments.rgbAt(first, IN_PERSON);
            assertThat(near(person, PLATE_RGB)).as("person pixel %s is the part colour, not the plate",
                    java.util.Arrays.toString(person)).isFalse();

            // the same size again, all background: the first frame's person must not linger on the plate
            byte[] second = render(renderer, onlyBackground(2, TestSegments.WIDTH, TestSegments.HEIGHT));
            assertColour(TestSegments.rgbAt(second, IN_PERSON), PLATE_RGB);
            assertColour(TestSegments.rgbAt(second, IN_BACKGROUND), PLATE_RGB);

            // another frame size gets the plate at that size
            byte[] wide = render(renderer, onlyBackground(3, 100, 30));
            try (Mat img = ImageCodec.decodeColor(wide)) {
                assertThat(img.cols()).isEqualTo(100);
                assertThat(img.rows()).isEqualTo(30);
            }
            assertColour(TestSegments.rgbAt(wide, new int[] {29, 99}), PLATE_RGB);

            // streams of two sizes interleaved: each size keeps its plate (one renderer serves all streams)
            byte[] again = render(renderer, onlyBackground(4, TestSegments.WIDTH, TestSegments.HEIGHT));
            assertColour(TestSegments.rgbAt(again, IN_BACKGROUND), PLATE_RGB);
            assertThat(renderer.plateSizes()).isEqualTo(2);
        }
    }
}
