package io.dancestream.segmentstream.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.bench.segment.SyntheticMasks;
import io.dancestream.common.parts.BodyPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizerFitTest {

    @TempDir
    Path tmp;

    @Test
    void kmeansFollowsASystematicColourShiftAndKeepsClassOrder() {
        // every palette colour shifted by (+8, -6, +5): about a third of the closest palette spacing: the fit must find the shift per class
        ColorHistogram hist = new ColorHistogram();
        SyntheticMasks gen = new SyntheticMasks(5, 320, 240, SyntheticMasks.Perturbation.none());
        for (int i = 0; i < 20; i++) {
            try (Mat ids = gen.layout(); Mat colour = io.dancestream.common.parts.PartSchema.colorize(ids)) {
                byte[] px = BgrPixels.bytes(colour);
                for (int k = 0; k < px.length; k += 3) {
                    px[k] = (byte) Math.min(255, (px[k] & 0xff) + 5);
                    px[k + 1] = (byte) Math.max(0, (px[k + 1] & 0xff) - 6);
                    px[k + 2] = (byte) Math.min(255, (px[k + 2] & 0xff) + 8);
                }
                hist.addBgr(px);
            }
        }
        QuantizerFit fit = new PaletteKMeans().fit(hist);
        for (BodyPart p : BodyPart.values()) {
            double[] c = fit.centroids()[p.id()];
            assertThat(c[0]).as("red of %s", p).isCloseTo(Math.min(255, p.red() + 8), org.assertj.core.data.Offset.offset(3.0));
            assertThat(c[1]).as("green of %s", p).isCloseTo(Math.max(0, p.green() - 6), org.assertj.core.data.Offset.offset(3.0));
            assertThat(c[2]).as("blue of %s", p).isCloseTo(Math.min(255, p.blue() + 5), org.assertj.core.data.Offset.offset(3.0));
            assertThat(fit.pixelsPerClass()[p.id()]).as("pixels of %s", p).isPositive();
        }
        assertThat(fit.masks()).isEqualTo(20);
        assertThat(fit.sampleCount()).isEqualTo(20L * 320 * 240);
    }

    @Test
    void fitIsSavedAndReloaded() throws IOException {
        ColorHistogram hist = new ColorHistogram();
        SyntheticMasks gen = new SyntheticMasks(6, 320, 240);
        for (int i = 0; i < 5; i++) {
            try (SyntheticMasks.Sample s = gen.next()) {
                hist.add(s.mask());
            }
        }
        QuantizerFit fit = new PaletteKMeans().fit(hist);
        Path file = tmp.resolve("fits/fit.json");
        fit.save(file);
        QuantizerFit back = QuantizerFit.load(file);
        assertThat(back.centroids()).isDeepEqualTo(fit.centroids());
        assertThat(back.pixelsPerClass()).isEqualTo(fit.pixelsPerClass());
        assertThat(back.sampleCount()).isEqualTo(5L * 320 * 240);
        assertThat(back.masks()).isEqualTo(5);
        assertThat(back.fittedAt()).isEqualTo(fit.fittedAt());
        assertThat(Files.readString(file)).contains("\"centroids\"", "\"sampleCount\"", "\"fittedAt\"");
    }

    @Test
    void unreadableFitFileIsAClearError() throws IOException {
        Path file = Files.writeString(tmp.resolve("broken.json"), "{\"centroids\": [[1,2,3]]}");
        assertThatThrownBy(() -> QuantizerFit.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read quantizer fit");
    }

    @Test
    void onlineRefitterSwitchesTheTableEveryNMasksAndSavesIt() {
        MaskQuantizer q = new MaskQuantizer(QuantizerFit.palette(), true);
        Path file = tmp.resolve("online.json");
        OnlineRefitter refitter = new OnlineRefitter(q, 3, file);
        SyntheticMasks gen = new SyntheticMasks(8, 320, 240);
        for (int i = 0; i < 7; i++) {
            try (SyntheticMasks.Sample s = gen.next()) {
                QuantizerFit f = refitter.observe(s.mask());
                assertThat(f != null).as("refit after mask %d", i + 1).isEqualTo((i + 1) % 3 == 0);
            }
        }
        assertThat(refitter.refits()).isEqualTo(2);
        assertThat(q.fit().isPalette()).isFalse();
        assertThat(q.fit().masks()).isEqualTo(3);
        assertThat(file).exists();
        assertThatThrownBy(() -> new OnlineRefitter(q, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
