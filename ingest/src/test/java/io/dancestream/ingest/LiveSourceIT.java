package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.source.Backoff;
import io.dancestream.ingest.source.SourceSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A live source (a short file read as a stream, so it "disconnects" after 5 frames) reconnects with backoff. */
@ExtendWith(EmbeddedKafkaExtension.class)
class LiveSourceIT {

    @Test
    void aLiveSourceThatEndsReconnectsAndKeepsTheSeqGoing(EmbeddedKafkaBroker broker, @TempDir Path tmp)
            throws Exception {
        Path clip = TestMedia.video(tmp, "clip.mp4", 5, 64, 48, 25);
        Topics topics = TestTopics.created(broker.clients(), "live");
        DanceMetrics metrics = new DanceMetrics(new SimpleMeterRegistry());

        IngestSummary s = FrameIngestor.builder(broker.clients(), topics)
                .source(SourceSpec.liveStream(clip.toString())).streamId("live").maxFrames(12)
                .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(40))).metrics(metrics)
                .build().run();

        assertThat(s.frames()).isEqualTo(12);
        // 12 frames sent (plus any dropped) from 5-frame openings: at least 3 openings
        assertThat(s.reconnects()).isGreaterThanOrEqualTo(2);
        assertThat(s.droppedStale()).isEqualTo((long) metrics.stage("ingest")
                .outcome(DanceMetrics.DROPPED_STALE).count());
        var records = TestRecords.readAll(broker.clients().consumer(null), topics.frames(), 12, Duration.ofSeconds(30));
        assertThat(records).hasSize(12);
        long prevCapture = 0;
        for (int i = 0; i < 12; i++) {
            Frame f = RecordSerdes.frame().decode(topics.frames(), 0, i, records.get(i).value());
            assertThat(f.getSeq()).isEqualTo(i);
            assertThat(f.getSource()).isEqualTo(clip.toString());
            // live: capture time is the grab time, so it only moves forward
            assertThat(f.getCaptureTimeUs()).isGreaterThan(prevCapture);
            prevCapture = f.getCaptureTimeUs();
            assertThat(f.getWidth()).isEqualTo(64);
        }
    }
}
