package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairDatasetTest {

    private static final TrainingTrack TRACK = new TrainingTrack("a", "a#0", 9);

    private static PairDataset.Decoded pair(String stream, long seq, int value) {
        byte[] ids = new byte[4];
        byte[] rgb = new byte[12];
        java.util.Arrays.fill(rgb, (byte) value);
        Sample s = new Sample(stream, seq, 2, ids, rgb);
        return new PairDataset.Decoded(s, s);
    }

    @Test
    void holdsOutTheLastPairsInTimeAndAveragesTheRest(@TempDir Path dir) {
        List<PairDataset.Decoded> pairs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            pairs.add(pair("a", i, i * 10));
        }
        Collections.shuffle(pairs, new java.util.Random(1));
        PairDataset ds = PairDataset.split(pairs, 2, 3, TRACK);
        // the last third in time: neighbours of training frames would make the evaluation easy
        assertThat(ds.heldout()).extracting(Sample::seq).containsExactly(6L, 7L, 8L);
        assertThat(ds.train()).extracting(Sample::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        // mean of 0,10,20,30,40,50 = 25
        assertThat(ds.meanFrame()[0] & 0xff).isEqualTo(25);

        Path file = dir.resolve("cache/ds.bin");
        var framing = new io.dancestream.common.image.FramingStats(6, 90, 60, 50, 30, 80);
        ds = ds.withFraming(framing);
        ds.write(file);
        PairDataset back = PairDataset.read(file);
        // the target's framing travels with the cached dataset, so a cached run still announces it
        assertThat(back.framing()).isEqualTo(framing);
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.meanFrame()).isEqualTo(ds.meanFrame());
        assertThat(back.track()).isEqualTo(TRACK);
        assertThat(back.heldout()).extracting(Sample::seq).containsExactly(6L, 7L, 8L);
        assertThat(back.train().get(1).rgb()).isEqualTo(ds.train().get(1).rgb());
    }

    @Test
    void tooFewPairsIsAClearError() {
        assertThatThrownBy(() -> PairDataset.split(List.of(pair("a", 0, 0)), 2, 10, TRACK))
                .hasMessageContaining("need at least 10 training pairs");
    }
}
