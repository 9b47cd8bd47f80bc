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

    /** A plate with a colour per place: RGB (90, 200 - y, 2x mod 256), so a misplaced plate shows. */
    static Mat gradientPlate(int w, int h) {
        Mat m = new Mat(h, w, opencv_core.CV_8UC3);
        try (org.bytedeco.javacpp.indexer.UByteIndexer ix = m.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] rgb = plateRgb(y, x);
                    ix.put(y, x, 0, rgb[2]);
                    ix.put(y, x, 1, rgb[1]);
                    ix.put(y, x, 2, rgb[0]);
                }
            }
        }
        return m;
    }

    static int[] plateRgb(int row, int col) {
        return new int[] {90, Math.max(0, 200 - row), (2 * col) % 256};
    }

    @Test
    void personCropModelPutsThePersonWhereTheSourceIsAndTheRestIsThePlate(@org.junit.jupiter.api.io.TempDir
                                                                          java.nio.file.Path dir) throws Exception {
        try (Mat plate = gradientPlate(128, 96)) {
            var mv = TestGenerators.exportPersonCrop(dir.resolve("m"), "dancer", "1", 32, TestGenerators.paletteColours(), plate);
            GeneratorModel model = ModelLoader.loadVerified(mv, null);
            try {
                assertThat(model.personCrop()).isTrue();
                FrameRenderer renderer = new FrameRenderer(95, null, new TransferMeters(new DanceMetrics(new SimpleMeterRegistry())));
                // the source (64x48) has its torso at x 8..31, y 8..39: at twice the scale in the 128x96 plate
                var out = renderer.render(List.of(TestSegments.segment("cam1", 1, 0), onlyBackground(2, 64, 48)), model, 0);
                byte[] jpeg = out.get(0).rendered().getJpeg().toByteArray();
                assertThat(out.get(0).rendered().getWidth()).isEqualTo(128);
                try (Mat img = ImageCodec.decodeColor(jpeg)) {
                    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
                    org.bytedeco.opencv.global.opencv_imgcodecs.imwrite("target/person-crop-render.png", img);
                }
                int[] torso = TestGenerators.paletteColours()[TestSegments.TORSO];
                int plateLike = 0;
                int personLike = 0;
                for (int y = 0; y < 96; y++) {
                    for (int x = 0; x < 128; x++) {
                        boolean inPerson = x >= 16 && x < 64 && y >= 16 && y < 80;
                        boolean nearEdge = x >= 12 && x < 68 && y >= 12 && y < 84;
                        int[] px = TestSegments.rgbAt(jpeg, new int[] {y, x});
                        if (inPerson && x >= 20 && x < 60 && y >= 20 && y < 76) {
                            assertColour(px, torso);
                            personLike++;
                        } else if (!nearEdge) {
                            // everything else, the crop box's background included, is the plate, not the generator's black
                            assertColour(px, plateRgb(y, x));
                            plateLike++;
                        }
                    }
                }
                assertThat(personLike).isEqualTo(40 * 56);
                assertThat(plateLike).isEqualTo(128 * 96 - 56 * 72);
                // a frame with no person is the plate alone
                byte[] empty = out.get(1).rendered().getJpeg().toByteArray();
                assertColour(TestSegments.rgbAt(empty, new int[] {48, 40}), plateRgb(48, 40));
                assertColour(TestSegments.rgbAt(empty, new int[] {10, 100}), plateRgb(10, 100));

                // --background overrides the model's plate, at its own size
                try (Mat override = new Mat(50, 100, opencv_core.CV_8UC3, new Scalar(PLATE_RGB[2], PLATE_RGB[1], PLATE_RGB[0], 0))) {
                    FrameRenderer over = new FrameRenderer(95, override,
                            new TransferMeters(new DanceMetrics(new SimpleMeterRegistry())));
                    byte[] o = over.render(List.of(TestSegments.segment("cam1", 3, 0)), model, 0).get(0).rendered()
                            .getJpeg().toByteArray();
                    try (Mat img = ImageCodec.decodeColor(o)) {
                        assertThat(new int[] {img.cols(), img.rows()}).containsExactly(100, 50);
                    }
                    assertColour(TestSegments.rgbAt(o, new int[] {25, 90}), PLATE_RGB);
                    // the torso's centre (x 20/64, y 24/48 of the source) lands at the same fractions of the override
                    assertColour(TestSegments.rgbAt(o, new int[] {25, 31}), torso);
                }
            } finally {
                model.release();
            }
        }
    }
}
