package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.source.Pace;
import io.dancestream.ingest.source.SourceException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --skip starts a recorded source later: the demo plays a different segment of the same video. */
@ExtendWith(EmbeddedKafkaExtension.class)
class SkipIT {

    @Test
    void skippingStartsTheStreamLaterWithSeqFromZero(EmbeddedKafkaBroker broker) {
        Topics topics = TestTopics.created(broker.clients(), "skip");
        IngestSummary s = FrameIngestor.builder(broker.clients(), topics).source(TestMedia.VTEST.toString())
                .streamId("late").pace(Pace.max).skip(790).size(160, 0).build().run();
        assertThat(s.frames()).isEqualTo(5); // 795 frames - 790 skipped
        var records = TestRecords.readAll(broker.clients().consumer(null), topics.frames(), 5, Duration.ofSeconds(30));
        assertThat(records).hasSize(5);
        for (int i = 0; i < 5; i++) {
            var r = records.get(i);
            Frame f = RecordSerdes.frame().decode(r.topic(), r.partition(), r.offset(), r.value());
            assertThat(f.getSeq()).isEqualTo(i);
        }
    }

    @Test
    void skippingPastTheEndIsAClearError(EmbeddedKafkaBroker broker) {
        Topics topics = TestTopics.created(broker.clients(), "skipend");
        assertThatThrownBy(() -> FrameIngestor.builder(broker.clients(), topics).source(TestMedia.VTEST.toString())
                .streamId("none").pace(Pace.max).skip(10_000).build().run())
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("has only 795 frames, fewer than --skip 10000");
    }
}
