package io.dancestream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {

    private static byte[] gradient(int size) {
        byte[] img = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    img[(y * size + x) * 3 + c] = (byte) ((x * 8 + y * 4 + c * 40) & 0xff);
                }
            }
        }
        return img;
    }

    @Test
    void l1IsTheMeanAbsoluteDifferenceOnAZeroToOneScale() {
        byte[] black = new byte[12];
        byte[] white = new byte[12];
        java.util.Arrays.fill(white, (byte) 255);
        byte[] half = new byte[12];
        java.util.Arrays.fill(half, 0, 6, (byte) 255);
        assertThat(ImageMetrics.l1(black, white)).isEqualTo(1.0);
        assertThat(ImageMetrics.l1(black, half)).isEqualTo(0.5);
        assertThat(ImageMetrics.l1(white, white)).isZero();
    }

    @Test
    void ssimIsOneForIdenticalImagesAndDropsWithNoise() {
        int s = 32;
        byte[] a = gradient(s);
        assertThat(ImageMetrics.ssim(a, a, s)).isCloseTo(1.0, offset(1e-6));
        byte[] noisy = a.clone();
        Random rnd = new Random(1);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (byte) Math.max(0, Math.min(255, (noisy[i] & 0xff) + rnd.nextInt(81) - 40));
        }
        byte[] brighter = a.clone();
        for (int i = 0; i < brighter.length; i++) {
            brighter[i] = (byte) Math.min(255, (brighter[i] & 0xff) + 10);
        }
        double ssimNoisy = ImageMetrics.ssim(a, noisy, s);
        double ssimBright = ImageMetrics.ssim(a, brighter, s);
        assertThat(ssimNoisy).isLessThan(0.6);
        // a small brightness shift keeps the structure: SSIM stays high but below 1
        assertThat(ssimBright).isBetween(0.8, 0.9999);
        assertThat(ssimBright).isGreaterThan(ssimNoisy);
    }
}
