package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.dancestream.common.parts.PartSchema;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.Inflater;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

    @Test
    void aLabelImageIsWrittenWithoutRowFiltersAndComesBackExactly() throws Exception {
        // a person-like block of part ids on background, as the segmenter writes them
        try (Mat map = image(480, 640, CV_8UC1,
                (y, x, c) -> x > 250 && x < 330 && y > 100 && y < 400 ? 1 + (y / 13 + x / 17) % 24 : 0)) {
            byte[] png = ImageCodec.encodeLabelPng(map);
            assertThat(rowFilters(png, 640, 1)).containsExactly(0);
            try (Mat back = ImageCodec.decodeUnchanged(png)) {
                assertThat(back.channels()).isEqualTo(1);
                assertThat(bytes(back)).isEqualTo(bytes(map));
            }
            // its palette colouring (the viewer's parts panel) too
            try (Mat colour = PartSchema.colorize(map)) {
                byte[] colourPng = ImageCodec.encodeLabelPng(colour);
                assertThat(rowFilters(colourPng, 640, 3)).containsExactly(0);
                try (Mat back = ImageCodec.decodeUnchanged(colourPng)) {
                    assertThat(bytes(back)).isEqualTo(bytes(colour));
                }
            }
        }
    }

    @Test
    void otherImagesKeepTheFiltersThatPayOnPhotographs() throws Exception {
        // smooth gradients, where predicting a row from its neighbours pays
        try (Mat img = image(120, 160, CV_8UC3, (y, x, c) -> c == 0 ? x : c == 1 ? y * 2 : (x + y) / 2)) {
            byte[] png = ImageCodec.encodePng(img);
            assertThat(rowFilters(png, 160, 3)).isNotEqualTo(Set.of(0));
            try (Mat back = ImageCodec.decodeUnchanged(png)) {
                assertThat(bytes(back)).isEqualTo(bytes(img));
            }
        }
    }

    interface Pixel {
        int value(int y, int x, int channel);
    }

    private static Mat image(int rows, int cols, int type, Pixel pixel) {
        Mat m = new Mat(rows, cols, type);
        UByteIndexer ix = m.createIndexer();
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                for (int c = 0; c < m.channels(); c++) {
                    ix.put(y, x, c, pixel.value(y, x, c));
                }
            }
        }
        return m;
    }

    /** The filter type byte that starts every row of the PNG's (8-bit, non-interlaced) image data. */
    private static Set<Integer> rowFilters(byte[] png, int width, int channels) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        while (b.remaining() >= 12) {
            int length = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            if (new String(type, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
                idat.write(png, b.position(), length);
            }
            b.position(b.position() + length + 4);
        }
        Inflater inflater = new Inflater();
        inflater.setInput(idat.toByteArray());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!inflater.finished()) {
            int n = inflater.inflate(buf);
            assertThat(n > 0 || !inflater.needsInput()).as("image data ends before the zlib stream does").isTrue();
            raw.write(buf, 0, n);
        }
        inflater.end();
        byte[] rows = raw.toByteArray();
        int stride = 1 + width * channels;
        assertThat(rows.length % stride).isZero();
        Set<Integer> filters = new HashSet<>();
        for (int r = 0; r < rows.length; r += stride) {
            filters.add(rows[r] & 0xff);
        }
        return filters;
    }

    private static byte[] bytes(Mat m) {
        byte[] out = new byte[(int) (m.total() * m.channels())];
        m.data().get(out);
        return out;
    }
}
