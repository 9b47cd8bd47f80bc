package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.PersonBox;
import io.dancestream.common.proto.SourceFraming;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-stream source statistics: the first N frames of a track, reset by a new track. */
class SourceFramingsTest {

    private final Map<String, SourceFraming> stored = new HashMap<>();
    private final SourceFramings.Store store = new SourceFramings.Store() {
        @Override
        public SourceFraming get(String streamId) {
            return stored.get(streamId);
        }

        @Override
        public void put(String streamId, SourceFraming framing) {
            stored.put(streamId, framing);
        }
    };

    private static PersonBox standingAt(int foot, int height) {
        return new PersonBox(100, foot - height, height / 3, height);
    }

    @Test
    void beforeNFramesTheStatisticsAreThoseSeenSoFarThenTheyHold() {
        SourceFramings f = new SourceFramings(3, store);
        FramingStats one = f.observe("cam1", "cam1#0", standingAt(300, 100));
        assertThat(one.frames()).isEqualTo(1);
        assertThat(one.footSpan()).isZero();
        FramingStats two = f.observe("cam1", "cam1#0", standingAt(400, 150));
        assertThat(two.frames()).isEqualTo(2);
        assertThat(two.nearFootY()).isEqualTo(400);
        assertThat(f.observe("cam1", "cam1#0", standingAt(200, 60)).farFootY()).isEqualTo(200);
        // the 4th frame is past N: nearer feet no longer count
        FramingStats held = f.observe("cam1", "cam1#0", standingAt(470, 190));
        assertThat(held.frames()).isEqualTo(3);
        assertThat(held.nearFootY()).isEqualTo(400);
        assertThat(FramingStats.fromProto(stored.get("cam1").getStats())).isEqualTo(held);
    }

    @Test
    void aNewTrackStartsOverAndStreamsAreApart() {
        SourceFramings f = new SourceFramings(2, store);
        f.observe("cam1", "cam1#0", standingAt(300, 100));
        f.observe("cam1", "cam1#0", standingAt(400, 150));
        f.observe("cam2", "cam2#5", standingAt(100, 40));
        FramingStats fresh = f.observe("cam1", "cam1#90", standingAt(250, 80));
        assertThat(fresh.frames()).isEqualTo(1);
        assertThat(fresh.nearFootY()).isEqualTo(250);
        assertThat(stored.get("cam1").getTrackId()).isEqualTo("cam1#90");
        assertThat(FramingStats.fromProto(stored.get("cam2").getStats()).nearFootY()).isEqualTo(100);
    }

    @Test
    void whatTheStoreHoldsIsWhereItContinues() {
        // a restart: a new SourceFramings over the restored store goes on from the stored count
        new SourceFramings(3, store).observe("cam1", "cam1#0", standingAt(300, 100));
        new SourceFramings(3, store).observe("cam1", "cam1#0", standingAt(400, 150));
        FramingStats third = new SourceFramings(3, store).observe("cam1", "cam1#0", standingAt(350, 120));
        assertThat(third.frames()).isEqualTo(3);
        assertThat(third.nearFootY()).isEqualTo(400);
        assertThat(third.farFootY()).isEqualTo(300);
    }
}
