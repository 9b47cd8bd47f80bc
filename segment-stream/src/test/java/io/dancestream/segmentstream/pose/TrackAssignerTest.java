package io.dancestream.segmentstream.pose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackAssignerTest {

    @Test
    void continuousTrackingKeepsTheIdOfTheFrameWhereTheDetectorAcquired() {
        TrackAssigner t = new TrackAssigner("cam");
        assertThat(t.nobody()).isEmpty();
        assertThat(t.acquired(3)).isEqualTo("cam#3");
        for (long seq = 4; seq < 50; seq++) {
            assertThat(t.followed(seq)).as("frame " + seq).isEqualTo("cam#3");
        }
    }

    @Test
    void lostAndReacquiredStartsANewTrack() {
        TrackAssigner t = new TrackAssigner("cam");
        t.acquired(0);
        t.followed(1);
        // lost for two frames, then the detector finds someone again
        assertThat(t.nobody()).isEmpty();
        assertThat(t.nobody()).isEmpty();
        assertThat(t.acquired(4)).isEqualTo("cam#4");
        assertThat(t.followed(5)).isEqualTo("cam#4");
        // lost and re-acquired on the same frame (the detector runs on the frame tracking failed on)
        assertThat(t.acquired(6)).isEqualTo("cam#6");
        assertThat(t.followed(7)).isEqualTo("cam#6");
    }

    @Test
    void sameFramesGiveTheSameIdsAfterARestart() {
        TrackAssigner before = new TrackAssigner("cam");
        TrackAssigner after = new TrackAssigner("cam"); // a restarted segment-stream re-processing from frame 10
        assertThat(before.acquired(10)).isEqualTo(after.acquired(10));
        assertThat(before.followed(11)).isEqualTo(after.followed(11));
    }

    @Test
    void followingWithoutATrackStartsOne() {
        assertThat(new TrackAssigner("cam").followed(8)).isEqualTo("cam#8");
    }

    @Test
    void aBodyCentreThatJumpsHalfAROIOrMoreIsAnotherPerson() {
        Roi before = new Roi(700, 300, 140, 0);
        // a pedestrian's step at 10 fps, a dancer's fast step at 30 fps: the same person
        assertThat(TrackAssigner.jumped(before, new Roi(706, 302, 141, 0))).isFalse();
        assertThat(TrackAssigner.jumped(before, new Roi(700, 240, 150, 0.3))).isFalse();
        // vtest.avi frame 372 -> 373: the landmarks land on another pedestrian 219 px away
        assertThat(TrackAssigner.jumped(before, new Roi(481, 302, 140, 0))).isTrue();
        assertThat(TrackAssigner.jumped(before, new Roi(700, 371, 140, 0))).isTrue();
    }
}
