package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Global pose normalization on synthetic videos whose geometry is known exactly. */
class PoseNormalizationTest {

    /** Pixels a normalized box may miss the target's by: rounding only. */
    private static final int FEW_PX = 3;

    /**
     * A target walking towards the camera in a 640×480 frame: feet from y 200 (body 80 px tall,
     * far) to y 440 (160 px, near), drifting right, with a crouch in the middle.
     */
    static List<PersonBox> targetWalk() {
        List<PersonBox> boxes = new ArrayList<>();
        for (int i = 0; i <= 24; i++) {
            int foot = 200 + 10 * i;
            int h = 80 + (foot - 200) / 3;
            if (i == 12) {
                h = h * 3 / 4; // a crouch: must not set the scale
            }
            int w = h / 3;
            int cx = 300 + 2 * i;
            boxes.add(new PersonBox(cx - w / 2, foot - h, w, h));
        }
        return boxes;
    }

    /** The same person filmed at twice the size and shifted (a 1280×960 source, other camera position). */
    static PersonBox twiceAndShifted(PersonBox b) {
        return new PersonBox(2 * b.x() + 150, 2 * b.y() - 90, 2 * b.width(), 2 * b.height());
    }

    @Test
    void aSourceAtTwiceTheSizeAndShiftedLandsOnTheTargetsBox() {
        List<PersonBox> target = targetWalk();
        List<PersonBox> source = target.stream().map(PoseNormalizationTest::twiceAndShifted).toList();
        FramingStats t = FramingStats.of(target);
        FramingStats s = FramingStats.of(source);
        for (int i = 0; i < target.size(); i++) {
            PersonBox placed = PoseNormalization.between(source.get(i), s, t).apply(source.get(i));
            PersonBox want = target.get(i);
            assertThat(placed.x()).as("x of frame %d", i).isCloseTo(want.x(), within(FEW_PX));
            assertThat(placed.y()).as("y of frame %d", i).isCloseTo(want.y(), within(FEW_PX));
            assertThat(placed.width()).as("width of frame %d", i).isCloseTo(want.width(), within(FEW_PX));
            assertThat(placed.height()).as("height of frame %d", i).isCloseTo(want.height(), within(FEW_PX));
        }
    }

    @Test
    void theCropAroundTheBoxMovesWithIt() {
        List<PersonBox> target = targetWalk();
        List<PersonBox> source = target.stream().map(PoseNormalizationTest::twiceAndShifted).toList();
        PersonBox src = source.get(20);
        PersonCrop placed = PoseNormalization.between(src, FramingStats.of(source), FramingStats.of(target))
                .apply(src.crop(PersonCrop.MARGIN));
        PersonCrop want = target.get(20).crop(PersonCrop.MARGIN);
        assertThat(placed.side()).isCloseTo(want.side(), within(FEW_PX));
        assertThat(placed.centerX()).isCloseTo(want.centerX(), within((double) FEW_PX));
        assertThat(placed.centerY()).isCloseTo(want.centerY(), within((double) FEW_PX));
    }

    @Test
    void statisticsKeepTheExtremesWithTheStandingHeightAndTheMeanCentre() {
        FramingStats t = FramingStats.of(targetWalk());
        assertThat(t.frames()).isEqualTo(25);
        assertThat(t.farFootY()).isEqualTo(200);
        assertThat(t.farHeight()).isEqualTo(80);
        assertThat(t.nearFootY()).isEqualTo(440);
        assertThat(t.nearHeight()).isEqualTo(160);
        assertThat(t.meanCenterX()).isCloseTo(324, within(1.0));
        // a crouch at the extreme is outgrown by the standing frames next to it
        FramingStats crouchFirst = FramingStats.of(List.of(new PersonBox(0, 340, 30, 60), new PersonBox(0, 320, 30, 80)));
        assertThat(crouchFirst.nearFootY()).isEqualTo(400);
        assertThat(crouchFirst.nearHeight()).isEqualTo(80);
    }

    @Test
    void withFewerFramesTheSourceUsesWhatItHasSeen() {
        List<PersonBox> target = targetWalk();
        List<PersonBox> source = target.stream().map(PoseNormalizationTest::twiceAndShifted).toList();
        // the first 5 frames only: the far end of the walk; frames inside that range already map exactly
        FramingStats early = FramingStats.of(source.subList(0, 5));
        assertThat(early.frames()).isEqualTo(5);
        assertThat(early.nearFootY()).isLessThan(FramingStats.of(source).nearFootY());
        FramingStats t = FramingStats.of(target);
        PersonBox placed = PoseNormalization.between(source.get(0), early, t).apply(source.get(0));
        // the far ends agree, so the far frame maps onto the target's far frame
        assertThat(placed.height()).isCloseTo(target.get(0).height(), within(FEW_PX));
        assertThat(placed.footY()).isCloseTo(target.get(0).footY(), within((double) FEW_PX));
        // and the result differs from the one with every frame seen: the statistics really matter
        PersonBox mid = source.get(4);
        PersonBox withEarly = PoseNormalization.between(mid, early, t).apply(mid);
        PersonBox withAll = PoseNormalization.between(mid, FramingStats.of(source), t).apply(mid);
        assertThat(Math.abs(withEarly.footY() - withAll.footY())).isGreaterThan(FEW_PX);
    }

    @Test
    void whenNearAndFarCoincideTheHeightRatioAloneScales() {
        // a source that stood still: 200 px tall with feet at y 700
        PersonBox still = new PersonBox(500, 500, 60, 200);
        FramingStats s = FramingStats.of(List.of(still, still, still));
        assertThat(s.footSpan()).isZero();
        FramingStats t = FramingStats.of(targetWalk());
        PoseNormalization.Transform tr = PoseNormalization.between(still, s, t);
        // target heights 80 far, 160 near: the mean height 120 over 200
        assertThat(tr.scale()).isCloseTo(120.0 / 200, within(1e-9));
        PersonBox placed = tr.apply(still);
        assertThat(placed.footY()).isCloseTo((200 + 440) / 2.0, within(1.0));
        assertThat(placed.centerX()).isCloseTo(t.meanCenterX(), within(1.0));
        // one frame seen is the same case
        PoseNormalization.Transform one = PoseNormalization.between(still, FramingStats.of(List.of(still)), t);
        assertThat(one.scale()).isCloseTo(tr.scale(), within(1e-9));
    }

    @Test
    void beyondTheObservedRangeTheScaleHoldsAndTheFeetKeepMoving() {
        List<PersonBox> target = targetWalk();
        List<PersonBox> source = target.stream().map(PoseNormalizationTest::twiceAndShifted).toList();
        FramingStats s = FramingStats.of(source.subList(0, 10));
        FramingStats t = FramingStats.of(target);
        PersonBox past = source.get(20);
        PoseNormalization.Transform tr = PoseNormalization.between(past, s, t);
        PoseNormalization.Transform atNear = PoseNormalization.between(source.get(9), s, t);
        assertThat(tr.scale()).isCloseTo(atNear.scale(), within(1e-9));
        assertThat(tr.apply(past).footY()).isGreaterThan(atNear.apply(source.get(9)).footY());
    }

    @Test
    void withoutStatisticsThereIsNothingToNormalizeBy() {
        PersonBox b = new PersonBox(0, 0, 10, 10);
        assertThatThrownBy(() -> PoseNormalization.between(b, FramingStats.NONE, FramingStats.of(List.of(b))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statisticsSurviveTheirProto() {
        FramingStats t = FramingStats.of(targetWalk());
        assertThat(FramingStats.fromProto(t.toProto())).isEqualTo(t);
    }
}
