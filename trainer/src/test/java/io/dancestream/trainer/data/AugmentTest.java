package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.parts.BodyPart;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentTest {

    /** 4x4 sample: left face in the image's left column, right hand in the right column, distinct colours. */
    private static Sample sample() {
        int s = 4;
        byte[] ids = new byte[s * s];
        byte[] rgb = new byte[s * s * 3];
        for (int y = 0; y < s; y++) {
            ids[y * s] = (byte) BodyPart.LEFT_FACE.id();
            ids[y * s + 3] = (byte) BodyPart.RIGHT_HAND.id();
            ids[y * s + 1] = (byte) BodyPart.TORSO_FRONT.id();
            for (int x = 0; x < s; x++) {
                rgb[(y * s + x) * 3] = (byte) (x * 60);
            }
        }
        return new Sample("s", 0, s, ids, rgb);
    }

    @Test
    void mirrorFlipsPixelsAndSwapsLeftRightPartIds() {
        Sample s = sample();
        byte[] ids = new byte[16];
        float[] rgb = new float[48];
        Augment.crop(s, 4, 0, 0, true, ids, rgb, 0);
        for (int y = 0; y < 4; y++) {
            // the left face was at x=0: after the flip it is at x=3 and is now the right face
            assertThat(ids[y * 4 + 3]).isEqualTo((byte) BodyPart.RIGHT_FACE.id());
            assertThat(ids[y * 4]).isEqualTo((byte) BodyPart.LEFT_HAND.id());
            // unpaired parts keep their id
            assertThat(ids[y * 4 + 2]).isEqualTo((byte) BodyPart.TORSO_FRONT.id());
            assertThat(ids[y * 4 + 1]).isEqualTo((byte) 0);
            // red channel 0,60,120,180 becomes 180,120,60,0, in [-1,1]
            assertThat(rgb[(y * 4) * 3]).isCloseTo(180 / 127.5f - 1, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(rgb[(y * 4 + 3) * 3]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void withoutMirrorTheIdsStay() {
        Sample s = sample();
        byte[] ids = new byte[16];
        Augment.crop(s, 4, 0, 0, false, ids, new float[48], 0);
        assertThat(ids).containsExactly(s.classIds());
    }

    @Test
    void jitterCutsWindowsInsideTheLargerSample() {
        Sample s = sample();
        Random rnd = new Random(3);
        boolean sawOffset = false;
        for (int i = 0; i < 20; i++) {
            Batch b = Augment.sample(List.of(s), 1, 3, rnd, false);
            byte first = b.classIds()[0];
            sawOffset |= first != s.classIds()[0];
            assertThat(b.rgb()).hasSize(27);
        }
        assertThat(sawOffset).isTrue();
    }
}
