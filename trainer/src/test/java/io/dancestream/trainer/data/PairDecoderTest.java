package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.TrainingPair;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Training samples are person crops: the part-map crop and the frame crop, at the same place. */
class PairDecoderTest {

    /** A 200x100 grey frame with a red 20x40 person at (120, 30), its map id 13 there. */
    private static TrainingPair pair(boolean person, int mapWidth) {
        try (Mat frame = new Mat(100, 200, opencv_core.CV_8UC3, new Scalar(100, 100, 100, 0));
             Mat map = new Mat(100, mapWidth, opencv_core.CV_8UC1, new Scalar(0));
             Rect r = new Rect(120, 30, 20, 40); Mat f = frame.apply(r); Mat m = map.apply(r)) {
            if (person) {
                f.put(new Scalar(0, 0, 255, 0));
                m.put(new Scalar(13));
            }
            return TrainingPair.newBuilder().setStreamId("s").setSeq(1).setWidth(200).setHeight(100)
                    .setFrameJpeg(ByteString.copyFrom(ImageCodec.encodePng(frame)))
                    .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(map))).build();
        }
    }

    @Test
    void samplesAreTheSquareCropAroundThePerson() {
        BackgroundPlate plate = new BackgroundPlate();
        // crop side 48 (40 + 2·10 %), so a 48² sample is the crop at full resolution
        Sample s = new PairDecoder(25, plate).decode(pair(true, 200), 48, 48).forEval();
        assertThat(s.size()).isEqualTo(48);
        int person = 0;
        for (int p = 0; p < 48 * 48; p++) {
            if (s.classIds()[p] == 13) {
                person++;
                // the frame crop is cut at the same place: every person id sits on a red pixel
                assertThat(new int[] {s.rgb()[p * 3] & 0xff, s.rgb()[p * 3 + 1] & 0xff, s.rgb()[p * 3 + 2] & 0xff})
                        .containsExactly(255, 0, 0);
            }
        }
        assertThat(person).isEqualTo(20 * 40);
        // centred: the person spans x 14..33, y 4..43 of the crop
        assertThat(s.classIds()[24 * 48 + 24]).isEqualTo((byte) 13);
        assertThat(s.classIds()[24 * 48 + 13]).isZero();
        assertThat(plate.frames()).isEqualTo(1);
    }

    @Test
    void aFrameWithoutAPersonGivesNoSampleButFeedsThePlate() {
        BackgroundPlate plate = new BackgroundPlate();
        assertThat(new PairDecoder(25, plate).decode(pair(false, 200), 48, 48)).isNull();
        assertThat(plate.frames()).isEqualTo(1);
    }

    @Test
    void aClassMapOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> new PairDecoder(25, null).decode(pair(true, 160), 48, 48))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class_map is 160x100, the frame 200x100");
    }

    @Test
    void everyPersonBoxFeedsTheTargetsFramingAndTheTrainingFramesMakeIt() {
        TargetFraming framing = new TargetFraming();
        PairDecoder decoder = new PairDecoder(25, null, framing);
        decoder.decode(pair(true, 200), 48, 48);
        decoder.decode(pair(false, 200), 48, 48);
        assertThat(framing.frames()).isEqualTo(1);
        // the person is 20x40 at (120, 30): feet at y 70, 40 tall, centred at x 130
        var stats = framing.build(k -> true);
        assertThat(stats.frames()).isEqualTo(1);
        assertThat(stats.nearFootY()).isEqualTo(70);
        assertThat(stats.nearHeight()).isEqualTo(40);
        assertThat(stats.meanCenterX()).isEqualTo(130);
        // held-out frames are left out, as for the plate
        assertThat(framing.build(k -> !k.equals("s/1")).isEmpty()).isTrue();
    }
}
