package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveStreamsTest {

    private static final long SECOND = 1_000_000_000L;
    /** The streams' clock: moves only when a test moves it. */
    private final AtomicLong nanos = new AtomicLong(100 * SECOND);

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

    private LiveStreams streams(Duration endedAfter, Duration keepEnded) {
        return new LiveStreams(new StreamEnding(endedAfter, keepEnded), nanos::get);
    }

    /** Ten frames on every panel at 10 fps, as a live pipeline would deliver them. */
    private void feed(LiveStreams s, String stream, long firstSeq) {
        for (long seq = firstSeq; seq < firstSeq + 10; seq++) {
            for (Panel p : Panel.values()) {
                s.put(stream, p, img(seq));
            }
            nanos.addAndGet(SECOND / 10);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> panel(Map<String, Object> stream, String panel) {
        return ((Map<String, Map<String, Object>>) stream.get("panels")).get(panel);
    }

    private static Map<String, Object> only(LiveStreams s, String stream) {
        return s.snapshot().stream().filter(m -> m.get("stream").equals(stream)).findFirst().orElseThrow();
    }

    @Test
    void aSilentStreamEndsAndKeepsItsLastFramesFpsAndLatency() {
        LiveStreams s = streams(Duration.ofSeconds(5), Duration.ZERO);
        feed(s, "cam", 0);
        s.shown("cam", Panel.RENDER, 80.0);
        assertThat(only(s, "cam")).containsEntry("state", "live");

        nanos.addAndGet(4 * SECOND); // silent for 4.1 s, less than endedAfter: still live
        assertThat(only(s, "cam")).containsEntry("state", "live");
        nanos.addAndGet(2 * SECOND);
        Map<String, Object> ended = only(s, "cam");
        assertThat(ended).containsEntry("state", "ended");
        assertThat((double) ended.get("idleSeconds")).isBetween(6.0, 6.2);
        for (String p : List.of("source", "parts", "render")) {
            assertThat(panel(ended, p)).as(p).containsEntry("seq", 9L)
                    .containsEntry("fps", 10.0); // the final rate, not the decayed 0
        }
        assertThat(panel(ended, "render")).containsEntry("shownLatencyMs", 80.0);
        assertThat(s.latest("cam", Panel.RENDER).seq()).isEqualTo(9);

        // a page opened now loads the last render long after its capture: that is no live latency
        assertThat(s.shown("cam", Panel.RENDER, 60_000.0)).isFalse();
        assertThat(panel(only(s, "cam"), "render")).containsEntry("shownLatencyMs", 80.0);

        // no time limit by default: still there an hour later
        nanos.addAndGet(3600 * SECOND);
        assertThat(only(s, "cam")).containsEntry("state", "ended");
    }

    @Test
    void anEndedStreamThatGetsFramesAgainIsLiveAgain() {
        LiveStreams s = streams(Duration.ofSeconds(5), Duration.ZERO);
        feed(s, "cam", 0);
        nanos.addAndGet(30 * SECOND);
        assertThat(only(s, "cam")).containsEntry("state", "ended");

        s.put("cam", Panel.SOURCE, img(0)); // a restarted source begins again at seq 0
        Map<String, Object> again = only(s, "cam");
        assertThat(again).containsEntry("state", "live").containsEntry("idleSeconds", 0.0);
        assertThat(panel(again, "source")).containsEntry("seq", 0L);
        assertThat(s.shown("cam", Panel.SOURCE, 50.0)).isTrue();
    }

    @Test
    void liveStreamsComeFirstThenEndedOnesLatestEndFirst() {
        LiveStreams s = streams(Duration.ofSeconds(5), Duration.ZERO);
        feed(s, "b-ended-first", 0);
        nanos.addAndGet(10 * SECOND);
        feed(s, "c-ended-later", 0);
        nanos.addAndGet(10 * SECOND);
        feed(s, "z-live", 0);
        feed(s, "a-live", 0);
        assertThat(s.snapshot()).extracting(m -> m.get("stream") + ":" + m.get("state"))
                .containsExactly("a-live:live", "z-live:live", "c-ended-later:ended", "b-ended-first:ended");
    }

    @Test
    void endedStreamsAreForgottenAfterTheRetention() {
        LiveStreams s = streams(Duration.ofSeconds(5), Duration.ofSeconds(60));
        feed(s, "cam", 0);
        nanos.addAndGet(59 * SECOND); // 59.1 s after the last frame
        assertThat(only(s, "cam")).containsEntry("state", "ended");
        nanos.addAndGet(SECOND);
        assertThat(s.snapshot()).isEmpty();
        assertThat(s.latest("cam", Panel.SOURCE)).isNull();
    }

    @Test
    void atMostMaxEndedAreKeptTheLongestEndedGoFirst() {
        LiveStreams s = streams(Duration.ofSeconds(5), Duration.ZERO);
        for (int i = 0; i < LiveStreams.MAX_ENDED + 3; i++) {
            feed(s, "run-" + (char) ('a' + i), 0);
            nanos.addAndGet(10 * SECOND);
        }
        var kept = s.snapshot();
        assertThat(kept).hasSize(LiveStreams.MAX_ENDED).allSatisfy(m -> assertThat(m).containsEntry("state", "ended"));
        assertThat(kept).extracting(m -> m.get("stream")).doesNotContain("run-a", "run-b", "run-c")
                .contains("run-d", "run-" + (char) ('a' + LiveStreams.MAX_ENDED + 2));
    }

    @Test
    void aNewStreamTakesTheSlotOfAnEndedOneAtTheLimit() {
        LiveStreams s = streams(Duration.ofSeconds(5), Duration.ZERO);
        s.put("old", Panel.SOURCE, img(1));
        nanos.addAndGet(10 * SECOND);
        for (int i = 1; i < LiveStreams.MAX_STREAMS; i++) {
            assertThat(s.put("s" + i, Panel.SOURCE, img(i))).isTrue();
        }
        assertThat(s.put("new", Panel.SOURCE, img(1))).as("the ended 'old' gives way").isTrue();
        assertThat(s.latest("old", Panel.SOURCE)).isNull();
        assertThat(s.put("one-too-many", Panel.SOURCE, img(1))).as("all live: refused").isFalse();
    }

    @Test
    void aRetentionShorterThanTheEndIsRefused() {
        assertThatThrownBy(() -> new StreamEnding(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kept longer");
        assertThatThrownBy(() -> new StreamEnding(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
