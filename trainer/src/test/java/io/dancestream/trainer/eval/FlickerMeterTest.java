package io.dancestream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class FlickerMeterTest {

    private static final int W = 160;
    private static final int H = 120;

    /** A smooth textured figure (a blurred noise block) at x on a grey scene; its part map alongside. */
    private static Mat frame(int x, long seed, int noise) {
        Mat m = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(90, 90, 90, 0));
        Random rnd = new Random(seed);
        try (Mat tex = new Mat(60, 30, opencv_core.CV_8UC3); UByteIndexer ix = tex.createIndexer()) {
            Random t = new Random(42);
            for (int y = 0; y < 60; y++) {
                for (int xx = 0; xx < 30; xx++) {
                    for (int c = 0; c < 3; c++) {
                        ix.put(y, xx, c, 60 + t.nextInt(150));
                    }
                }
            }
            ix.release();
            opencv_imgproc.GaussianBlur(tex, tex, new Size(5, 5), 1.5);
            try (Rect r = new Rect(x, 30, 30, 60); Mat roi = m.apply(r)) {
                tex.copyTo(roi);
            }
        }
        if (noise > 0) {
            try (UByteIndexer ix = m.createIndexer()) {
                for (int y = 30; y < 90; y++) {
                    for (int xx = x; xx < x + 30; xx++) {
                        for (int c = 0; c < 3; c++) {
                            int v = ix.get(y, xx, c) + rnd.nextInt(2 * noise + 1) - noise;
                            ix.put(y, xx, c, Math.max(0, Math.min(255, v)));
                        }
                    }
                }
            }
        }
        return m;
    }

    private static Mat map(int x) {
        Mat m = new Mat(H, W, opencv_core.CV_8UC1, new Scalar(0));
        try (Rect r = new Rect(x, 30, 30, 60); Mat roi = m.apply(r)) {
            roi.put(new Scalar(13));
        }
        return m;
    }

    @Test
    void theRealVideoIsOneAStillRenderIsZeroANoisyRenderFlickers() {
        FlickerMeter meter = new FlickerMeter();
        double plain;
        try (Mat real0 = frame(50, 1, 0); Mat real1 = frame(53, 1, 0); Mat map0 = map(50); Mat map1 = map(53);
             Mat noisy0 = frame(50, 2, 40); Mat noisy1 = frame(53, 3, 40); Rect figure = new Rect(50, 30, 33, 60)) {
            plain = FlickerMeter.meanAbs(real1, real0, figure);
            try (FlickerMeter.Pair p = meter.pair(real0, real1, map0, map1, new Rect(42, 22, 49, 76), 8)) {
                p.add("same as real", real0, real1);
                p.add("still", real0, real0);
                p.add("noisy", noisy0, noisy1);
            }
        }
        assertThat(meter.pairs()).isEqualTo(1);
        assertThat(meter.of("same as real").ratio()).isCloseTo(1.0, within(1e-9));
        assertThat(meter.of("still").ratio()).isZero();
        assertThat(meter.of("noisy").ratio()).isGreaterThan(1.3);
        // the flow explains the real motion: warping leaves less than the plain difference, and a
        // noisy render more than the real video
        assertThat(meter.realWarpError()).isLessThan(plain).isLessThan(meter.of("noisy").warpError());
        assertThat(meter.of("same as real").warpError()).isCloseTo(meter.realWarpError(), within(1e-9));
        assertThat(meter.of("nobody").ratio()).isNaN();
    }
}
