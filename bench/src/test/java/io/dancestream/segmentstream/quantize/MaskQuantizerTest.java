package io.dancestream.segmentstream.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.bench.segment.SyntheticMasks;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.parts.PartSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class MaskQuantizerTest {

    private final MaskQuantizer q = new MaskQuantizer(QuantizerFit.palette(), true);

    private static int[] histogram(Mat ids) {
        int[] h = new int[256];
        for (byte b : BgrPixels.bytes(ids)) {
            h[b & 0xff]++;
        }
        return h;
    }

    @Test
    void exactPaletteMaskMapsBackToItsIds() {
        SyntheticMasks gen = new SyntheticMasks(3, 320, 240, SyntheticMasks.Perturbation.none());
        try (Mat truth = gen.layout(); Mat colour = PartSchema.colorize(truth)) {
            QuantizedMask m = new MaskQuantizer(QuantizerFit.palette(), false).quantize(ImageCodec.encodePng(colour), 320, 240);
            try (Mat ids = m.classMap()) {
                PixelAccuracy acc = new PixelAccuracy();
                acc.add(truth, ids);
                assertThat(acc.overall()).isEqualTo(1.0);
                assertThat(m.unmatchedFraction()).isZero();
                assertThat(m.foregroundFraction()).isBetween(0.05, 0.8);
            }
            // the mode filter only rounds off one-pixel corners
            try (Mat ids = q.quantize(colour, 320, 240).classMap()) {
                PixelAccuracy acc = new PixelAccuracy();
                acc.add(truth, ids);
                assertThat(acc.overall()).isGreaterThan(0.999);
            }
        }
    }

    @Test
    void tableReadsEveryPaletteColourAsItsClass() {
        ColorLut lut = ColorLut.compile(QuantizerFit.palette());
        for (BodyPart p : BodyPart.values()) {
            assertThat(lut.classOf(p.red(), p.green(), p.blue())).as("%s", p).isEqualTo(p.id());
            assertThat(lut.isSure(p.red(), p.green(), p.blue())).isTrue();
        }
        assertThat(lut.classOf(0, 0, 0)).isEqualTo(-1); // black is no class
    }

    @Test
    void notAnImageIsAClearError() {
        assertThatThrownBy(() -> q.quantize("hello, not a PNG".getBytes(), 640, 480))
                .isInstanceOf(MaskQuantizeException.class).hasMessageContaining("not an image");
        assertThatThrownBy(() -> q.quantize(new byte[0], 640, 480))
                .isInstanceOf(MaskQuantizeException.class).hasMessageContaining("empty");
    }

    @Test
    void wrongAspectRatioIsAClearError() {
        try (Mat white = new Mat(100, 100, CV_8UC3, new Scalar(255, 255, 255, 0))) {
            assertThatThrownBy(() -> q.quantize(white, 640, 480))
                    .isInstanceOf(MaskQuantizeException.class)
                    .hasMessage("captured mask is 100x100 but its frame is 640x480 (different aspect ratio)");
        }
    }

    @Test
    void maskOfAnotherResolutionIsResizedToTheFrame() {
        SyntheticMasks gen = new SyntheticMasks(4, 640, 480, SyntheticMasks.Perturbation.none());
        try (Mat truth = gen.layout(); Mat colour = PartSchema.colorize(truth); Mat half = new Mat()) {
            resize(colour, half, new Size(320, 240), 0, 0, INTER_NEAREST);
            try (Mat ids = q.quantize(half, 640, 480).classMap()) {
                assertThat(ids.cols()).isEqualTo(640);
                assertThat(ids.rows()).isEqualTo(480);
                PixelAccuracy acc = new PixelAccuracy();
                acc.add(truth, ids);
                assertThat(acc.overall()).isGreaterThan(0.98);
            }
        }
    }

    @Test
    void allBackgroundMaskGivesAllBackground() {
        try (Mat white = new Mat(480, 640, CV_8UC3, new Scalar(255, 255, 255, 0))) {
            QuantizedMask m = q.quantize(ImageCodec.encodeJpeg(white, 70), 640, 480);
            try (Mat ids = m.classMap()) {
                assertThat(histogram(ids)[0]).isEqualTo(640 * 480);
                assertThat(m.foregroundFraction()).isZero();
            }
        }
    }

    @Test
    void imageWithoutPaletteColoursGivesAllBackground() throws Exception {
        try (Mat black = new Mat(480, 640, CV_8UC3, new Scalar(0, 0, 0, 0))) {
            QuantizedMask m = q.quantize(black, 640, 480);
            try (Mat ids = m.classMap()) {
                assertThat(histogram(ids)[0]).isEqualTo(640 * 480);
                assertThat(m.unmatchedFraction()).isEqualTo(1.0);
            }
        }
        // a photo is not a mask: most of it matches no class, and nothing throws; with no frame
        // size given the map keeps the photo's own size (messi5.jpg is 548x342)
        Path photo = Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");
        QuantizedMask m = q.quantize(Files.readAllBytes(photo), -1, -1);
        try (Mat ids = m.classMap()) {
            assertThat(m.unmatchedFraction()).isGreaterThan(0.5);
            assertThat(ids.cols()).isEqualTo(548);
            assertThat(ids.rows()).isEqualTo(342);
        }
    }

    @Test
    void modeFilterRemovesSpeckleAndKeepsEdges() {
        int w = 20;
        int h = 10;
        byte[] ids = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = (byte) (x < 10 ? 13 : 0);
            }
        }
        ids[5 * w + 4] = 7; // speckle inside the torso
        ids[2 * w + 15] = 13; // speckle in the background
        byte[] out = ModeFilter.apply(ids, w, h);
        assertThat(out[5 * w + 4]).isEqualTo((byte) 13);
        assertThat(out[2 * w + 15]).isEqualTo((byte) 0);
        for (int y = 1; y < h - 1; y++) { // the straight border stays where it was
            assertThat(out[y * w + 9]).isEqualTo((byte) 13);
            assertThat(out[y * w + 10]).isEqualTo((byte) 0);
        }
    }
}
