package io.dancestream.segmentstream.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The cached real part maps (of the quantizer tests in bench, QuantizerAccuracyTest) still match what the segmenter
 * makes of the same pictures (needs the BlazePose models). To re-create them after a segmenter
 * change: {@code -Dit.test=RealPartMapsIT -Dquantize.partmaps.write=segment-stream/src/test/resources/quantize/partmaps}
 * (absolute path, or relative to the module directory).
 */
class RealPartMapsIT {

    @Test
    void cachedPartMapsMatchTheSegmenter() throws Exception {
        List<RealPartMaps.Named> live;
        try (Segmenter seg = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false))) {
            live = RealPartMaps.extract(seg);
        }
        String write = System.getProperty("quantize.partmaps.write");
        if (write != null && !write.isBlank()) {
            RealPartMaps.write(live, Path.of(write));
        }
        Path cached = Path.of(RealPartMapsIT.class.getResource("/quantize/partmaps").toURI());
        try (Stream<Path> files = Files.list(cached)) {
            assertThat(live).extracting(n -> n.name() + ".png").as("live maps = cached maps")
                    .containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString()).toList());
        }
        for (RealPartMaps.Named n : live) {
            Path f = cached.resolve(n.name() + ".png");
            assertThat(f).as("cached part map for " + n.name()).exists();
            try (Mat c = opencv_imgcodecs.imread(f.toString(), opencv_imgcodecs.IMREAD_GRAYSCALE)) {
                byte[] a = BgrPixels.bytes(n.ids());
                byte[] b = BgrPixels.bytes(c);
                assertThat(b).hasSameSizeAs(a);
                long union = 0;
                long same = 0;
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != 0 || b[i] != 0) {
                        union++;
                        same += a[i] == b[i] ? 1 : 0;
                    }
                }
                System.out.printf("%s: same id on %.4f of the person pixels%n", n.name(), same / (double) union);
                assertThat(same / (double) union).as(n.name()).isGreaterThan(0.95);
            }
            n.ids().close();
        }
    }
}
