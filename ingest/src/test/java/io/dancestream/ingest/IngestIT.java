package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class IngestIT {

    @Test
    void vtestAtMaxPaceGivesEveryFrameInOrderInOnePartitionAsJpegsOfTheRequestedSize(EmbeddedKafkaBroker broker) {
        Topics topics = TestTopics.unique("vtest");
        TopicAdmin.ensureTopics(broker.clients().common(), topics.specs(), Duration.ofSeconds(30));
        DanceMetrics metrics = new DanceMetrics(new SimpleMeterRegistry());

        IngestSummary s = FrameIngestor.builder(broker.clients(), topics)
                .source(TestMedia.VTEST.toString()).streamId("vtest").pace(Pace.max).size(320, 0)
                .metrics(metrics).build().run();

        assertThat(s.frames()).isEqualTo(795);
        List<ConsumerRecord<String, byte[]>> records = TestRecords.readAll(broker.clients().consumer(null),
                topics.frames(), 795, Duration.ofSeconds(60));
        assertThat(records).hasSize(795);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            Frame f = RecordSerdes.frame().decode(r.topic(), r.partition(), r.offset(), r.value());
            assertThat(r.key()).isEqualTo("vtest");
            assertThat(f.getSeq()).as("seq at offset %d", r.offset()).isEqualTo(i);
            assertThat(r.timestamp()).isEqualTo(f.getCaptureTimeUs() / 1000);
            assertThat(r.headers().lastHeader(IngestHeaders.TRAIN)).isNull();
            assertThat(f.getSource()).isEqualTo("file:" + TestMedia.VTEST);
            assertThat(f.getTimings(0).getStage()).isEqualTo("ingest");
            assertThat(f.getWidth()).isEqualTo(320);
            assertThat(f.getHeight()).isEqualTo(240);
            try (Mat img = ImageCodec.decodeColor(f.getJpeg().toByteArray())) {
                assertThat(img.cols()).isEqualTo(320);
                assertThat(img.rows()).isEqualTo(240);
            }
            if (i > 0) {
                // the file's 10 fps timestamps laid onto the wall clock: exactly 100 ms apart
                Frame prev = RecordSerdes.frame().decode(r.topic(), r.partition(), r.offset() - 1,
                        records.get(i - 1).value());
                assertThat(f.getCaptureTimeUs() - prev.getCaptureTimeUs()).isEqualTo(100_000);
            }
        }
        assertThat(metrics.stage("ingest").outcome(DanceMetrics.PROCESSED).count()).isEqualTo(795);
        assertThat(metrics.stage("ingest").outcome(DanceMetrics.DROPPED_STALE).count()).isZero();
    }
}
