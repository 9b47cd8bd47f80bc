package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.common.ingest.IngestHeaders;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.source.Pace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class IngestIT {

    @Test
    void vtestAtMaxPaceGivesEveryFrameInOrderInOnePartitionAsJpegsOfTheRequestedSize(EmbeddedKafkaBroker broker) {
        Topics topics = TestTopics.created(broker.clients(), "vtest");
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

    @Test
    void aFrameAboveTheRecordLimitStopsTheIngestWithAClearError(EmbeddedKafkaBroker broker, @TempDir Path tmp)
            throws Exception {
        // 12 MP of noise at JPEG quality 100 does not compress: far above the 16 MiB record limit
        try (Mat noise = new Mat(3000, 4000, opencv_core.CV_8UC3)) {
            opencv_core.randu(noise, new Mat(1, 1, opencv_core.CV_64F, new Scalar(0)),
                    new Mat(1, 1, opencv_core.CV_64F, new Scalar(256)));
            byte[] jpeg = ImageCodec.encodeJpeg(noise, 100);
            assertThat(jpeg.length).isGreaterThan(Topics.MAX_MESSAGE_BYTES);
            Files.write(tmp.resolve("huge.jpg"), jpeg);
        }
        Topics topics = TestTopics.created(broker.clients(), "huge");
        DanceMetrics metrics = new DanceMetrics(new SimpleMeterRegistry());
        assertThatThrownBy(() -> FrameIngestor.builder(broker.clients(), topics).source(tmp.toString())
                .streamId("big").pace(Pace.max).metrics(metrics).build().run())
                .isInstanceOf(FrameIngestor.IngestException.class)
                .hasMessageMatching("frame 0 of stream big is \\d+\\.\\d MB, above the 16 MiB record limit of "
                        + java.util.regex.Pattern.quote(topics.frames()) + ": ingest it smaller with --width/--height");
        assertThat(metrics.stage("ingest").outcome(DanceMetrics.FAILED).count()).isEqualTo(1);
    }
}
