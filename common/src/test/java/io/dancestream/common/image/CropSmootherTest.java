package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CropSmootherTest {

    private final CropSmoother smoother = CropSmoother.defaults(3);

    @Test
    void jitterAroundAStillPersonIsDampedAndAFirstFrameIsItsOwnCrop() {
        CropSmoother.Step s = smoother.next(null, 1, new PersonCrop(100, 100, 200));
        assertThat(s.crop()).isEqualTo(new PersonCrop(100, 100, 200));
        int rawSpread = 0;
        int smoothSpread = 0;
        PersonCrop last = s.crop();
        for (int i = 2; i < 40; i++) {
            int jitter = i % 2 == 0 ? 6 : -6; // an arm in and out of the part map, frame by frame
            PersonCrop raw = new PersonCrop(100 + jitter, 100, 200 + 2 * jitter);
            s = smoother.next(s.state(), i, raw);
            rawSpread += Math.abs(12);
            smoothSpread += Math.abs(s.crop().x() - last.x());
            last = s.crop();
        }
        assertThat(smoothSpread).isLessThan(rawSpread / 3);
    }

    @Test
    void aWalkingPersonIsFollowedWithLittleLag() {
        CropSmoother.Step s = smoother.next(null, 1, new PersonCrop(0, 100, 200));
        for (int i = 2; i <= 60; i++) {
            s = smoother.next(s.state(), i, new PersonCrop(5 * i, 100, 200)); // 150 px/s at 30 fps
        }
        assertThat(s.crop().x()).isBetween(5 * 60 - 20, 5 * 60);
    }

    @Test
    void aGapOrAnOlderFrameStartsOverAndTheCropNeverShrinksBelowThePerson() {
        CropSmoother.Step s = smoother.next(null, 1, new PersonCrop(0, 0, 200));
        assertThat(smoother.next(s.state(), 10, new PersonCrop(300, 0, 100)).crop()).isEqualTo(new PersonCrop(300, 0, 100));
        assertThat(smoother.next(s.state(), 1, new PersonCrop(300, 0, 100)).crop()).isEqualTo(new PersonCrop(300, 0, 100));
        // a person suddenly much larger (arms up): the lagging side is held at the person plus half the margin
        CropSmoother.Step grow = smoother.next(s.state(), 2, new PersonCrop(-50, -50, 300));
        assertThat(grow.crop().side()).isGreaterThanOrEqualTo((int) Math.floor(300 / 1.2 * 1.1)).isLessThan(300);
    }
}
