package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveStreamsTest {

    private static PanelImage img(long seq) {
        return new PanelImage(new byte[] {1}, "image/jpeg", seq, 1000 + seq, "l" + seq);
    }

    @Test
    void keepsOnlyTheNewestImagePerPanelAndReportsIt() {
        LiveStreams s = new LiveStreams();
        long v0 = s.version();
        s.put("cam-b", Panel.SOURCE, img(1));
        s.put("cam-b", Panel.SOURCE, img(2));
        s.put("cam-a", Panel.RENDER, img(9));
        s.shown("cam-b", Panel.SOURCE, 42.0);
        assertThat(s.version()).isEqualTo(v0 + 4);
        assertThat(s.latest("cam-b", Panel.SOURCE).seq()).isEqualTo(2);
        assertThat(s.latest("cam-b", Panel.PARTS)).isNull();
        assertThat(s.latest("nope", Panel.SOURCE)).isNull();

        var snap = s.snapshot();
        assertThat(snap).extracting(m -> m.get("stream")).containsExactly("cam-a", "cam-b");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> panels = (Map<String, Map<String, Object>>) snap.get(1).get("panels");
        assertThat(panels.get("source")).containsEntry("seq", 2L).containsEntry("captureUs", 1002L)
                .containsEntry("shownLatencyMs", 42.0);
        assertThat(panels.get("render")).containsEntry("seq", -1L);
    }

    @Test
    void refusesStreamsBeyondTheLimit() {
        LiveStreams s = new LiveStreams();
        for (int i = 0; i < LiveStreams.MAX_STREAMS; i++) {
            assertThat(s.put("s" + i, Panel.SOURCE, img(i))).isTrue();
        }
        assertThat(s.put("one-too-many", Panel.SOURCE, img(1))).isFalse();
        assertThat(s.put("s0", Panel.PARTS, img(1))).isTrue();
        assertThat(s.snapshot()).hasSize(LiveStreams.MAX_STREAMS);
    }

    @Test
    void awaitChangeWakesOnAnUpdate() throws Exception {
        LiveStreams s = new LiveStreams();
        long v = s.version();
        Thread t = new Thread(() -> s.put("x", Panel.SOURCE, img(1)));
        t.start();
        // a long timeout: the put must end the wait, the test does not measure how fast
        assertThat(s.awaitChange(v, 60_000)).isGreaterThan(v);
        t.join();
    }
}
