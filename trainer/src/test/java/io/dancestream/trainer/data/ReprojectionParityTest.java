package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.image.CropReprojection;
import io.dancestream.common.image.PersonCrop;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.CropAndResize;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Training feeds the two-frame generator its previous render through TensorFlow's CropAndResize
 * with the box {@link Augment#reprojection} computes; transfer-stream re-projects with OpenCV
 * ({@link CropReprojection}). Both must move the same pixels to the same place, mirrored or not,
 * or the model is trained on one geometry and served another.
 */
class ReprojectionParityTest {

    private static final int S = 32;
    private static final PersonCrop FROM = new PersonCrop(100, 50, 64);
    private static final PersonCrop TO = new PersonCrop(112, 56, 80);

    @Test
    void cropAndResizeWithTheTrainingBoxMatchesTheServingWarp() {
        compare(false);
    }

    @Test
    void soWhenBothFramesAreMirrored() {
        compare(true);
    }

    private static void compare(boolean flip) {
        Random rnd = new Random(7);
        byte[] prevRgb = new byte[S * S * 3];
        // smooth content (bilinear sampling of noise differs at the pixel level only by rounding)
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                for (int c = 0; c < 3; c++) {
                    prevRgb[(y * S + x) * 3 + c] = (byte) (40 + 5 * x + 3 * y + 20 * c + rnd.nextInt(2));
                }
            }
        }
        Sample prev = new Sample("s", 1, S, new byte[S * S], prevRgb, FROM);
        Sample cur = new Sample("s", 2, S, new byte[S * S], new byte[S * S * 3], TO);
        float[] box = new float[4];
        Augment.reprojection(prev, cur, S, 0, 0, flip, box, 0);

        // training: the window as the graph sees it (mirrored when flipped), through CropAndResize
        float[] window = new float[S * S * 3];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int sx = flip ? S - 1 - x : x;
                for (int c = 0; c < 3; c++) {
                    window[(y * S + x) * 3 + c] = prevRgb[(y * S + sx) * 3 + c] & 0xff;
                }
            }
        }
        float[] trained = new float[S * S * 3];
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var image = tf.constant(Shape.of(1, S, S, 3), DataBuffers.of(window, true, false));
            var boxes = tf.constant(Shape.of(1, 4), DataBuffers.of(box, true, false));
            var out = tf.image.cropAndResize(image, boxes, tf.constant(new int[] {0}), tf.constant(new int[] {S, S}),
                    CropAndResize.extrapolationValue(0f));
            try (TFloat32 t = (TFloat32) s.runner().fetch(out).run().get(0)) {
                t.asRawTensor().data().asFloats().read(trained);
            }
        }

        // serving: OpenCV re-projection of the unmirrored render, mirrored afterwards for the comparison
        try (Mat p = new Mat(S, S, opencv_core.CV_8UC3)) {
            p.data().put(prevRgb);
            try (Mat served = CropReprojection.apply(p, FROM, TO)) {
                byte[] b = new byte[S * S * 3];
                served.data().get(b);
                int compared = 0;
                for (int y = 1; y < S - 1; y++) {
                    for (int x = 1; x < S - 1; x++) {
                        int sx = flip ? S - 1 - x : x;
                        // only where the previous crop covers this pixel with margin (the borders differ by design: black)
                        double fx = (TO.x() + (sx + 0.5) * TO.side() / S - FROM.x()) * S / FROM.side() - 0.5;
                        double fy = (TO.y() + (y + 0.5) * TO.side() / S - FROM.y()) * S / FROM.side() - 0.5;
                        if (fx < 1 || fy < 1 || fx > S - 2 || fy > S - 2) {
                            continue;
                        }
                        for (int c = 0; c < 3; c++) {
                            float want = b[(y * S + sx) * 3 + c] & 0xff;
                            assertThat((double) trained[(y * S + x) * 3 + c]).as("(%d,%d,%d)", x, y, c)
                                    .isCloseTo(want, org.assertj.core.api.Assertions.within(1.5));
                        }
                        compared++;
                    }
                }
                assertThat(compared).isGreaterThan(S * S / 3);
            }
        }
    }
}
