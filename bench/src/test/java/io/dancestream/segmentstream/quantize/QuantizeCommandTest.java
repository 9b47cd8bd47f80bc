package io.dancestream.segmentstream.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.bench.segment.QuantizeBenchCommand;
import io.dancestream.common.config.CommandRunner;
import io.dancestream.common.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dance bench quantize --generate} → {@code dance quantize} fit → map a folder, with the report images. */
class QuantizeCommandTest {

    @TempDir
    Path tmp;

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void generateFitAndMapAFolder() throws Exception {
        Path data = tmp.resolve("data");
        Path fit = tmp.resolve("fit.json");
        Path out = tmp.resolve("out");
        assertThat(CommandRunner.run(new QuantizeBenchCommand(), "--generate", "4", data.toString())).isZero();
        // a file that is not an image is skipped with a message, not a crash
        Files.writeString(data.resolve("masks").resolve("broken.png"), "not a png");
        assertThat(CommandRunner.run(new QuantizeCommand(), "--fit", data.resolve("masks").toString(), "--fit-file",
                fit.toString())).isZero();
        assertThat(QuantizerFit.load(fit).masks()).isEqualTo(4);
        assertThat(CommandRunner.run(new QuantizeCommand(), data.resolve("masks").toString(), out.toString(),
                "--fit-file", fit.toString())).isZero();
        assertThat(count(out.resolve("ids"))).isEqualTo(4);
        assertThat(count(out.resolve("preview"))).isEqualTo(4);
        PixelAccuracy acc = new PixelAccuracy();
        try (Mat ids = ImageCodec.decodeUnchanged(Files.readAllBytes(out.resolve("ids/mask-00000.png")));
             Mat truth = ImageCodec.decodeUnchanged(Files.readAllBytes(data.resolve("truth/mask-00000.png")))) {
            assertThat(ids.channels()).isEqualTo(1);
            acc.add(truth, ids);
        }
        assertThat(acc.overall()).isGreaterThan(0.99);
        for (String report : new String[] {"grey-histogram.png", "rgb-scatter.png"}) {
            try (Mat img = ImageCodec.decodeColor(Files.readAllBytes(out.resolve("report").resolve(report)));
                 Mat grey = new Mat()) {
                org.bytedeco.opencv.global.opencv_imgproc.cvtColor(img, grey,
                        org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
                Mat dark = new Mat();
                opencv_core.compare(grey, new Mat(grey.size(), grey.type(), new org.bytedeco.opencv.opencv_core.Scalar(250.0)),
                        dark, opencv_core.CMP_LT);
                assertThat(opencv_core.countNonZero(dark)).as("drawn pixels in %s", report).isGreaterThan(2000);
            }
        }
        // a folder without masks is one clear error, exit code 1
        Files.createDirectories(tmp.resolve("empty"));
        assertThat(CommandRunner.run(new QuantizeCommand(), "--fit", tmp.resolve("empty").toString(), "--fit-file",
                tmp.resolve("x.json").toString())).isEqualTo(1);
    }

    @Test
    void generatesFromRealPartMaps() throws Exception {
        Path maps = Path.of(getClass().getResource("/quantize/partmaps").toURI());
        Path data = tmp.resolve("real");
        assertThat(CommandRunner.run(new QuantizeBenchCommand(), "--generate", "3", "--part-maps", maps.toString(),
                data.toString())).isZero();
        assertThat(count(data.resolve("masks"))).isEqualTo(3);
        try (Mat truth = ImageCodec.decodeUnchanged(Files.readAllBytes(data.resolve("truth/mask-00000.png")))) {
            assertThat(truth.cols()).isEqualTo(640);
            assertThat(opencv_core.countNonZero(truth)).as("person pixels").isGreaterThan(5000);
        }
        // a folder without part maps is one clear error, exit code 1
        Files.createDirectories(tmp.resolve("none"));
        assertThat(CommandRunner.run(new QuantizeBenchCommand(), "--generate", "1", "--part-maps",
                tmp.resolve("none").toString(), tmp.resolve("x").toString())).isEqualTo(1);
    }
}
