package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.common.proto.TrainingPair;
import org.junit.jupiter.api.Test;

class TrackCensusTest {

    private static void add(TrackCensus c, String stream, String track, int fromSeq, int n) {
        for (int i = 0; i < n; i++) {
            c.add(TrainingPair.newBuilder().setStreamId(stream).setTrackId(track).setSeq(fromSeq + i).build());
        }
    }

    @Test
    void defaultIsTheTrackWithMostPairsAndFramesWithoutAPersonAreLeftOut() {
        TrackCensus c = new TrackCensus();
        add(c, "cam", "cam#0", 0, 20);
        add(c, "cam", "", 20, 50); // nobody in the frame: more pairs than any track, but no person
        add(c, "cam", "cam#70", 70, 30);
        add(c, "cam", "cam#100", 100, 5);
        assertThat(c.choose(null, "pairs")).isEqualTo(new TrainingTrack("cam", "cam#70", 30));
        assertThat(c.summary()).isEqualTo("105 pairs: 3 tracks, 50 pairs without a track id");
    }

    @Test
    void aRequestedTrackIsChosenWhateverItsLength() {
        TrackCensus c = new TrackCensus();
        add(c, "cam", "cam#0", 0, 20);
        add(c, "cam", "cam#70", 70, 30);
        assertThat(c.choose("cam#0", "pairs")).isEqualTo(new TrainingTrack("cam", "cam#0", 20));
    }

    @Test
    void equalLengthsGoToTheEarlierTrack() {
        TrackCensus c = new TrackCensus();
        add(c, "cam", "cam#50", 50, 10);
        add(c, "cam", "cam#3", 3, 10);
        assertThat(c.choose(null, "pairs").trackId()).isEqualTo("cam#3");
    }

    @Test
    void anUnknownTrackIsAClearErrorNamingTheTracksThereAre() {
        TrackCensus c = new TrackCensus();
        add(c, "cam", "cam#0", 0, 20);
        add(c, "cam", "cam#70", 70, 30);
        assertThatThrownBy(() -> c.choose("cam#7", "dance.pairs for stream(s) cam"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no track 'cam#7' among the pairs of dance.pairs for stream(s) cam; the longest tracks: "
                        + "cam#70 (30 pairs), cam#0 (20 pairs)");
    }

    @Test
    void pairsWithoutTrackIdsAreOneUnknownTrackPerStream() {
        TrackCensus c = new TrackCensus();
        add(c, "old", "", 0, 40);
        add(c, "older", "", 0, 10);
        TrainingTrack t = c.choose(null, "pairs");
        assertThat(t).isEqualTo(new TrainingTrack("old", "", 40));
        assertThat(t.known()).isFalse();
        assertThat(t.describe()).contains("stream old as one unknown track (40 pairs without a track id");
        assertThatThrownBy(() -> c.choose("old#0", "pairs")).hasMessageContaining("their pairs carry no track ids");
    }

    @Test
    void noPairsAtAllIsAClearError() {
        assertThatThrownBy(() -> new TrackCensus().choose(null, "dance.pairs"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no training pairs in dance.pairs");
    }
}
