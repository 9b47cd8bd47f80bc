package io.dancestream.common.parts;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class PartSchemaTest {

    @Test
    void paletteAndOrderFollowBodyPix() {
        assertThat(BodyPart.values()).hasSize(BodyPart.COUNT);
        assertThat(BodyPart.ofId(1).bodyPixName()).isEqualTo("left_face");
        assertThat(BodyPart.ofId(13).bodyPixName()).isEqualTo("torso_front");
        assertThat(BodyPart.ofId(24).bodyPixName()).isEqualTo("right_feet");
        assertThat(BodyPart.LEFT_FACE.rgb()).isEqualTo(0x6E40AA);
        assertThat(BodyPart.RIGHT_FEET.rgb()).isEqualTo(0x6351C3);
        assertThat(BodyPart.BACKGROUND.rgb()).isEqualTo(0xFFFFFF);
    }

    @Test
    void mirroringSwapsEveryLeftRightPairAndKeepsTheRest() {
        assertThat(PartSchema.mirrorId(BodyPart.LEFT_UPPER_ARM_BACK.id())).isEqualTo(BodyPart.RIGHT_UPPER_ARM_BACK.id());
        assertThat(PartSchema.mirrorId(BodyPart.RIGHT_FEET.id())).isEqualTo(BodyPart.LEFT_FEET.id());
        assertThat(PartSchema.mirrorId(BodyPart.TORSO_BACK.id())).isEqualTo(BodyPart.TORSO_BACK.id());
        assertThat(PartSchema.mirrorId(0)).isZero();
        for (BodyPart p : BodyPart.values()) {
            assertThat(PartSchema.mirrorId(PartSchema.mirrorId(p.id()))).isEqualTo(p.id());
        }
    }

    @Test
    void mirroredMapHasSwappedIdsAtFlippedPositions() {
        Mat m = new Mat(2, 3, opencv_core.CV_8UC1, new org.bytedeco.opencv.opencv_core.Scalar(0.0));
        try (UByteIndexer i = m.createIndexer()) {
            i.put(0, 0, BodyPart.LEFT_HAND.id());
            i.put(1, 2, BodyPart.TORSO_FRONT.id());
        }
        Mat f = PartSchema.mirror(m);
        try (UByteIndexer i = f.createIndexer()) {
            assertThat(i.get(0, 2)).isEqualTo(BodyPart.RIGHT_HAND.id());
            assertThat(i.get(1, 0)).isEqualTo(BodyPart.TORSO_FRONT.id());
            assertThat(i.get(0, 0)).isZero();
        }
        Mat c = PartSchema.colorize(m);
        try (UByteIndexer i = c.createIndexer()) {
            assertThat(new int[] {i.get(0, 0, 2), i.get(0, 0, 1), i.get(0, 0, 0)})
                    .containsExactly(BodyPart.LEFT_HAND.red(), BodyPart.LEFT_HAND.green(), BodyPart.LEFT_HAND.blue());
        }
    }

    @Test
    void everyIdGetsItsPaletteColourAndUnknownIdsAreBlack() {
        Mat m = new Mat(1, 256, opencv_core.CV_8UC1);
        try (UByteIndexer i = m.createIndexer()) {
            for (int x = 0; x < 256; x++) {
                i.put(0, x, x);
            }
        }
        Mat c = PartSchema.colorize(m);
        Mat f = PartSchema.mirror(m);
        try (UByteIndexer i = c.createIndexer(); UByteIndexer fi = f.createIndexer()) {
            for (BodyPart p : BodyPart.values()) {
                assertThat(new int[] {i.get(0, p.id(), 2), i.get(0, p.id(), 1), i.get(0, p.id(), 0)})
                        .as(p.name()).containsExactly(p.red(), p.green(), p.blue());
                // the map is flipped: position x holds what was at 255 - x, with sides swapped
                assertThat(fi.get(0, 255 - p.id())).as(p.name()).isEqualTo(p.mirrored().id());
            }
            assertThat(new int[] {i.get(0, 200, 0), i.get(0, 200, 1), i.get(0, 200, 2)}).containsExactly(0, 0, 0);
            assertThat(fi.get(0, 255 - 200)).isEqualTo(200);
        }
    }
}
