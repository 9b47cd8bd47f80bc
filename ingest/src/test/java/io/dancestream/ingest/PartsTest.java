package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.records.Timings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The small pure pieces: source parsing, sizing, ordering, pacing arithmetic, the live queue. */
class PartsTest {

    @Test
    void sourcesAreRecognised() {
        assertThat(SourceSpec.parse("v4l2:/dev/video0")).isEqualTo(new SourceSpec(SourceSpec.Kind.CAMERA, "/dev/video0", true));
        assertThat(SourceSpec.parse("rtsp://cam.local/stream").live()).isTrue();
        assertThat(SourceSpec.parse("udp://239.0.0.1:1234").live()).isTrue();
        assertThat(SourceSpec.parse("http://example.com/a.mp4")).isEqualTo(
                new SourceSpec(SourceSpec.Kind.NETWORK, "http://example.com/a.mp4", false));
        assertThat(SourceSpec.parse("/tmp").kind()).isEqualTo(SourceSpec.Kind.IMAGE_FOLDER);
        assertThat(SourceSpec.parse("file:/data/a.avi")).isEqualTo(new SourceSpec(SourceSpec.Kind.FILE, "/data/a.avi", false));
        assertThat(SourceSpec.parse("v4l2:/dev/video0").description()).isEqualTo("v4l2:/dev/video0");
    }

    @Test
    void resizeKeepsTheAspectRatio() {
        assertThat(FrameEncoder.fit(768, 576, 0, 0)).containsExactly(768, 576);
        assertThat(FrameEncoder.fit(768, 576, 320, 0)).containsExactly(320, 240);
        assertThat(FrameEncoder.fit(768, 576, 0, 240)).containsExactly(320, 240);
        // both given: fit inside the box
        assertThat(FrameEncoder.fit(1920, 1080, 640, 640)).containsExactly(640, 360);
        assertThat(FrameEncoder.fit(1080, 1920, 640, 640)).containsExactly(360, 640);
        assertThat(FrameEncoder.fit(640, 480, 1280, 0)).containsExactly(1280, 960);
    }

    @Test
    void namesSortNaturally() {
        List<String> names = new ArrayList<>(List.of("f10.png", "f2.png", "f1.png", "f002b.png", "a.png", "f100.png"));
        names.sort(NaturalOrder::compare);
        assertThat(names).containsExactly("a.png", "f1.png", "f2.png", "f002b.png", "f10.png", "f100.png");
    }

    @Test
    void pacerLaysMediaTimesOntoTheWallClockAndLoopsContinue() {
        Pacer p = new Pacer(Pace.max);
        long before = Timings.nowMicros();
        long t0 = p.captureTime(500_000);
        assertThat(t0).isGreaterThanOrEqualTo(before);
        assertThat(p.captureTime(600_000) - t0).isEqualTo(100_000);
        assertThat(p.captureTime(600_000) - t0).isEqualTo(100_001); // a repeated media time still moves forward
        p.restart(100_000);
        assertThat(p.captureTime(500_000) - t0).isEqualTo(200_001);
        // max pace only waits when frames would run 50 min ahead of the clock
        assertThat(p.awaitSendTime(Timings.nowMicros() + TimeUnit.MINUTES.toMicros(10), () -> false)).isTrue();
        assertThat(new Pacer(Pace.realtime).awaitSendTime(Timings.nowMicros() + 60_000_000L, () -> true)).isFalse();
    }

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

    @Test
    void exportFrameRateIsTheMedianSpacing() {
        assertThat(Mp4Exporter.measuredFps(new long[] {0, 100_000, 200_000, 400_000, 500_000})).isEqualTo(10.0);
        assertThat(Mp4Exporter.measuredFps(new long[] {0, 33_333, 66_667, 100_000})).isEqualTo(30.0);
        assertThat(Mp4Exporter.measuredFps(new long[] {7})).isEqualTo(Mp4Exporter.FALLBACK_FPS);
        assertThat(Mp4Exporter.container(java.nio.file.Path.of("a/b.webm"))).isEqualTo("webm");
        assertThat(Mp4Exporter.container(java.nio.file.Path.of("b.MP4"))).isEqualTo("mp4");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        assertThat(List.of(0, 1, 2, 3, 4, 5, 40).stream().map(b::delayMillis).toList())
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 10000L, 10000L);
    }

    @Test
    void recordKindsFollowTopicNames() {
        assertThat(RecordKind.ofTopic("dance.frames")).isEqualTo(RecordKind.FRAMES);
        assertThat(RecordKind.ofTopic("rec1.dance.masks.raw")).isEqualTo(RecordKind.MASKS_RAW);
        assertThat(RecordKind.ofTopic("dance.rendered")).isEqualTo(RecordKind.RENDERED);
        assertThat(RecordKind.ofTopic("myframes")).isNull();
        assertThat(RecordKind.parse("masks")).isEqualTo(RecordKind.MASKS_RAW);
        assertThat(RecordKind.parse("Rendered")).isEqualTo(RecordKind.RENDERED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecordKind.parse("video"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown record type video");
    }
}
