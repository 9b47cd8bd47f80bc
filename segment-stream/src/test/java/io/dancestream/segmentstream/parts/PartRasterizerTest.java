package io.dancestream.segmentstream.parts;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.parts.PartSchema;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The rasterizer on a hand-placed frontal pose (200×400 canvas, person facing the camera). */
class PartRasterizerTest {

    static final int W = 200;
    static final int H = 400;

    /** BlazePose landmarks of an upright person facing the camera: their left is on image right. */
    static float[] frontalPose() {
        float[] lm = new float[33 * 5];
        set(lm, 0, 100, 50);                                   // nose
        set(lm, 1, 106, 42); set(lm, 2, 110, 42); set(lm, 3, 114, 42);   // left eye (image right)
        set(lm, 4, 94, 42); set(lm, 5, 90, 42); set(lm, 6, 86, 42);      // right eye
        set(lm, 7, 122, 46); set(lm, 8, 78, 46);               // ears
        set(lm, 9, 106, 62); set(lm, 10, 94, 62);              // mouth
        set(lm, 11, 135, 95); set(lm, 12, 65, 95);             // shoulders
        set(lm, 13, 150, 150); set(lm, 14, 50, 150);           // elbows
        set(lm, 15, 158, 200); set(lm, 16, 42, 200);           // wrists
        set(lm, 17, 162, 218); set(lm, 18, 38, 218);           // pinky
        set(lm, 19, 158, 222); set(lm, 20, 42, 222);           // index
        set(lm, 21, 152, 214); set(lm, 22, 48, 214);           // thumb
        set(lm, 23, 122, 205); set(lm, 24, 78, 205);           // hips
        set(lm, 25, 125, 290); set(lm, 26, 75, 290);           // knees
        set(lm, 27, 127, 370); set(lm, 28, 73, 370);           // ankles
        set(lm, 29, 127, 382); set(lm, 30, 73, 382);           // heels
        set(lm, 31, 132, 392); set(lm, 32, 68, 392);           // foot index
        return lm;
    }

    static void set(float[] lm, int i, float x, float y) {
        lm[i * 5] = x;
        lm[i * 5 + 1] = y;
        lm[i * 5 + 2] = 0;
        lm[i * 5 + 3] = 0.99f;
        lm[i * 5 + 4] = 0.99f;
    }

    static byte[] rasterize(float[] lm, boolean detailed) {
        float[] mask = new float[W * H];
        Arrays.fill(mask, 1f);
        byte[] out = new byte[W * H];
        new PartRasterizer(detailed).rasterize(lm, mask, 0.5f, W, H, out);
        return out;
    }

    static int at(byte[] map, double x, double y) {
        return map[(int) y * W + (int) x] & 0xff;
    }

    @Test
    void frontalPoseGetsBodyPixParts() {
        byte[] map = rasterize(frontalPose(), false);
        assertThat(at(map, 100, 150)).isEqualTo(BodyPart.TORSO_FRONT.id());
        assertThat(at(map, 110, 45)).as("image right of the nose = person's left").isEqualTo(BodyPart.LEFT_FACE.id());
        assertThat(at(map, 90, 45)).isEqualTo(BodyPart.RIGHT_FACE.id());
        assertThat(at(map, 143, 122)).isEqualTo(BodyPart.LEFT_UPPER_ARM_FRONT.id());
        assertThat(at(map, 57, 122)).isEqualTo(BodyPart.RIGHT_UPPER_ARM_FRONT.id());
        assertThat(at(map, 154, 175)).isEqualTo(BodyPart.LEFT_LOWER_ARM_FRONT.id());
        assertThat(at(map, 160, 215)).isEqualTo(BodyPart.LEFT_HAND.id());
        assertThat(at(map, 123, 250)).isEqualTo(BodyPart.LEFT_UPPER_LEG_FRONT.id());
        assertThat(at(map, 74, 330)).isEqualTo(BodyPart.RIGHT_LOWER_LEG_FRONT.id());
        assertThat(at(map, 130, 388)).isEqualTo(BodyPart.LEFT_FEET.id());
    }

    @Test
    void personSeenFromBehindGetsBackParts() {
        // from behind, the person's left is on the image left: swap x of every left/right pair
        float[] lm = frontalPose();
        for (int i = 0; i < 33; i++) {
            lm[i * 5] = W - lm[i * 5];
        }
        lm[0 * 5 + 2] = 20; // nose farther than the ears
        byte[] map = rasterize(lm, false);
        assertThat(at(map, 100, 150)).isEqualTo(BodyPart.TORSO_BACK.id());
        assertThat(at(map, 200 - 143, 122)).isEqualTo(BodyPart.LEFT_UPPER_ARM_BACK.id());
        assertThat(at(map, 200 - 123, 250)).isEqualTo(BodyPart.LEFT_UPPER_LEG_BACK.id());
    }

    @Test
    void maskLimitsThePerson() {
        float[] mask = new float[W * H];
        mask[150 * W + 100] = 0.9f;
        byte[] out = new byte[W * H];
        new PartRasterizer(false).rasterize(frontalPose(), mask, 0.5f, W, H, out);
        int nonZero = 0;
        for (byte b : out) {
            nonZero += b != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(1);
        assertThat(at(out, 100, 150)).isEqualTo(BodyPart.TORSO_FRONT.id());
    }

    @Test
    void detailedSchemaMarksFaceFeatures() {
        byte[] map = rasterize(frontalPose(), true);
        assertThat(at(map, 110, 42)).isEqualTo(FaceDetail.LEFT_EYE.id());
        assertThat(at(map, 90, 42)).isEqualTo(FaceDetail.RIGHT_EYE.id());
        assertThat(at(map, 100, 50)).isEqualTo(FaceDetail.NOSE.id());
        assertThat(at(map, 100, 62)).isEqualTo(FaceDetail.MOUTH.id());
        assertThat(at(map, 122, 46)).isEqualTo(FaceDetail.LEFT_EAR.id());
        assertThat(at(map, 100, 150)).isEqualTo(BodyPart.TORSO_FRONT.id());
    }

    @Test
    void mirroredPoseGivesMirroredMapWithSwappedSides() {
        // mirroring the image mirrors x and swaps which landmark is "left"
        float[] lm = frontalPose();
        float[] mirrored = new float[lm.length];
        for (int i = 0; i < 33; i++) {
            int j = i == 0 ? 0 : (i <= 10 ? mirrorFace(i) : (i % 2 == 1 ? i + 1 : i - 1));
            System.arraycopy(lm, i * 5, mirrored, j * 5, 5);
            mirrored[j * 5] = W - lm[i * 5];
        }
        byte[] a = rasterize(lm, false);
        byte[] b = rasterize(mirrored, false);
        int same = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int expected = PartSchema.mirrorId(at(a, x, y));
                same += at(b, W - 1 - x, y) == expected ? 1 : 0;
            }
        }
        assertThat(same / (double) (W * H)).isGreaterThan(0.995);
    }

    /**
     * The block-pruned loop gives the same map as scoring every part at every pixel: on jittered
     * and on scattered poses (crossed limbs, twisted torsos, tiny and huge bodies), both schemas,
     * with a patchy mask, on a canvas whose size is no multiple of the block.
     */
    @Test
    void pruningChangesNoPixel() {
        java.util.Random r = new java.util.Random(20);
        int w = 203, h = 197;
        float[] mask = new float[w * h];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = r.nextFloat();
        }
        int compared = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] lm = frontalPose();
            boolean scattered = trial % 3 == 0;
            float zoom = 0.2f + 2 * r.nextFloat();
            for (int i = 0; i < 33; i++) {
                if (scattered) {
                    lm[i * 5] = (float) (r.nextDouble() * 1.4 * w - 0.2 * w);
                    lm[i * 5 + 1] = (float) (r.nextDouble() * 1.4 * h - 0.2 * h);
                } else {
                    lm[i * 5] = lm[i * 5] * zoom + (float) r.nextGaussian() * 12;
                    lm[i * 5 + 1] = lm[i * 5 + 1] * zoom * 0.5f + (float) r.nextGaussian() * 12;
                }
                lm[i * 5 + 2] = (float) r.nextGaussian() * 30;
                lm[i * 5 + 3] = r.nextFloat();
            }
            boolean detailed = trial % 2 == 0;
            byte[] pruned = new byte[w * h];
            byte[] every = new byte[w * h];
            new PartRasterizer(detailed).rasterize(lm, mask, 0.3f, w, h, pruned);
            new PartRasterizer(detailed).rasterizeEveryPart(lm, mask, 0.3f, w, h, every);
            assertThat(pruned).as("trial %d", trial).isEqualTo(every);
            for (byte b : every) {
                compared += b != 0 ? 1 : 0;
            }
        }
        assertThat(compared).as("labelled pixels compared").isGreaterThan(300 * w * h / 2);
    }

    private static int mirrorFace(int i) {
        return switch (i) {
            case 1 -> 4; case 2 -> 5; case 3 -> 6; case 4 -> 1; case 5 -> 2; case 6 -> 3;
            case 7 -> 8; case 8 -> 7; case 9 -> 10; case 10 -> 9;
            default -> i;
        };
    }
}
