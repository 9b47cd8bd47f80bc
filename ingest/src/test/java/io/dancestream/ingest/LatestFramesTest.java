package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live queue keeps the newest frames and drops the oldest. */
class LatestFramesTest {

    @Test
    void liveQueueDropsTheOldestWhenFull() throws Exception {
        LatestFrames<Integer> q = new LatestFrames<>(2);
        assertThat(q.offer(1)).isNull();
        assertThat(q.offer(2)).isNull();
        assertThat(q.offer(3)).isEqualTo(1);
        assertThat(q.offer(4)).isEqualTo(2);
        assertThat(q.take(1, TimeUnit.MILLISECONDS)).isEqualTo(3);
        q.finish();
        assertThat(q.take(1, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(q.take(1, TimeUnit.SECONDS)).isNull();
        assertThat(q.isFinished()).isTrue();
    }
}
