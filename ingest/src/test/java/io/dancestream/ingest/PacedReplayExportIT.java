package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dancestream.common.ingest.IngestHeaders;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.export.Mp4Exporter;
import io.dancestream.ingest.replay.TopicReplayer;
import io.dancestream.ingest.source.Pace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One paced ingest of 100 vtest frames (10 s), then replay and export of that recorded topic.
 * Timing is asserted from record timestamps; wall time only as a lower bound (pacing waits,
 * so it can never be shorter), never as an upper one.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacedReplayExportIT {

    private KafkaClients clients;
    private Topics topics;
    private IngestSummary paced;
    private List<ConsumerRecord<String, byte[]>> recorded;

    @BeforeAll
    void ingestOneHundredFramesAtTenFps(EmbeddedKafkaBroker broker) {
        clients = broker.clients();
        topics = TestTopics.created(clients, "paced");
        paced = FrameIngestor.builder(clients, topics).source(TestMedia.VTEST.toString()).streamId("cam1")
                .pace(Pace.realtime).maxFrames(100).size(0, 240).train(true).build().run();
        recorded = TestRecords.readAll(clients.consumer(null), topics.frames(), 100, Duration.ofSeconds(30));
    }

    private static Frame frame(ConsumerRecord<String, byte[]> r) {
        return RecordSerdes.frame().decode(r.topic(), r.partition(), r.offset(), r.value());
    }

    @Test
    void pacedIngestSpacesCaptureTimesByTheFrameIntervalAndSendsNoFrameBeforeItsCaptureTime() {
        assertThat(paced.frames()).isEqualTo(100);
        assertThat(recorded).hasSize(100);
        for (int i = 1; i < recorded.size(); i++) {
            assertThat(recorded.get(i).timestamp() - recorded.get(i - 1).timestamp())
                    .as("record timestamp spacing at %d", i).isCloseTo(100L, within(2L));
        }
        for (ConsumerRecord<String, byte[]> r : recorded) {
            Frame f = frame(r);
            // the ingest stage's end is when the frame went to the producer: never before its capture time
            assertThat(f.getTimings(0).getEndUs()).isGreaterThanOrEqualTo(f.getCaptureTimeUs());
            assertThat(IngestHeaders.isTraining(r.headers())).isTrue();
            assertThat(f.getHeight()).isEqualTo(240);
            assertThat(f.getWidth()).isEqualTo(320);
        }
        // 99 intervals of 100 ms: pacing makes this a hard lower bound
        assertThat(paced.elapsedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(9_900));
    }

    @Test
    void realtimeReplayPreservesOrderCountHeadersAndRelativeTiming() {
        Topics target = TestTopics.created(clients, "replay-rt");
        long before = io.dancestream.common.records.Timings.nowMicros();
        var s = TopicReplayer.builder(clients, topics.frames(), target.frames()).streamId("cam1")
                .pace(Pace.realtime).build().run();
        assertThat(s.records()).isEqualTo(100);
        assertThat(s.elapsedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(9_900));

        var replayed = TestRecords.readAll(clients.consumer(null), target.frames(), 100, Duration.ofSeconds(30));
        assertThat(replayed).hasSize(100);
        Frame first = frame(recorded.get(0));
        Frame firstReplayed = frame(replayed.get(0));
        assertThat(firstReplayed.getCaptureTimeUs()).isGreaterThanOrEqualTo(before);
        for (int i = 0; i < 100; i++) {
            Frame orig = frame(recorded.get(i));
            Frame copy = frame(replayed.get(i));
            assertThat(copy.getSeq()).isEqualTo(i);
            assertThat(replayed.get(i).key()).isEqualTo("cam1");
            assertThat(copy.getJpeg()).isEqualTo(orig.getJpeg());
            assertThat(IngestHeaders.isTraining(replayed.get(i).headers())).isTrue();
            // moved to now, relative timing exact to the microsecond
            assertThat(copy.getCaptureTimeUs() - firstReplayed.getCaptureTimeUs())
                    .isEqualTo(orig.getCaptureTimeUs() - first.getCaptureTimeUs());
            assertThat(replayed.get(i).timestamp()).isEqualTo(copy.getCaptureTimeUs() / 1000);
        }
    }

    @Test
    void maxPaceReplayOfAnOffsetRangeKeepingTimestamps() {
        Topics target = TestTopics.created(clients, "replay-range");
        long base = recorded.get(0).offset();
        var s = TopicReplayer.builder(clients, topics.frames(), target.frames()).pace(Pace.max)
                .offsets(base + 10, base + 19).keepTimestamps(true).build().run();
        assertThat(s.records()).isEqualTo(10);
        var replayed = TestRecords.readAll(clients.consumer(null), target.frames(), 10, Duration.ofSeconds(30));
        assertThat(replayed).extracting(r -> frame(r).getSeq()).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L,
                17L, 18L, 19L);
        for (int i = 0; i < 10; i++) {
            assertThat(replayed.get(i).timestamp()).isEqualTo(recorded.get(10 + i).timestamp());
            assertThat(replayed.get(i).value()).isEqualTo(recorded.get(10 + i).value());
        }
    }

    @Test
    void replayOfATimeRangeAndOneStreamOutOfSeveral() throws Exception {
        Topics mixed = TestTopics.created(clients, "replay-mixed");
        // copy cam1's 100 frames and add 30 frames of another stream at the same times (one at a
        // time: see FirstSendGate for what many batches in flight to a new partition can do)
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.producer("mixed"))) {
            for (ConsumerRecord<String, byte[]> r : recorded) {
                p.send(new ProducerRecord<>(mixed.frames(), null, r.timestamp(), "cam1", r.value())).get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 30; i++) {
                Frame f = frame(recorded.get(i)).toBuilder().setStreamId("cam2").build();
                p.send(new ProducerRecord<>(mixed.frames(), null, recorded.get(i).timestamp(), "cam2", f.toByteArray()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        Topics target = TestTopics.created(clients, "replay-mixed-out");
        Instant from = Instant.ofEpochMilli(recorded.get(20).timestamp());
        Instant to = Instant.ofEpochMilli(recorded.get(39).timestamp());
        var s = TopicReplayer.builder(clients, mixed.frames(), target.frames()).streamId("cam1").pace(Pace.max)
                .times(from, to).build().run();
        assertThat(s.records()).isEqualTo(20);
        var replayed = TestRecords.readAll(clients.consumer(null), target.frames(), 20, Duration.ofSeconds(30));
        assertThat(replayed).extracting(ConsumerRecord::key).containsOnly("cam1");
        assertThat(replayed).extracting(r -> frame(r).getSeq()).containsExactlyElementsOf(
                java.util.stream.LongStream.range(20, 40).boxed().toList());
    }

    @Test
    void replayIntoAMissingTopicFailsWithAClearSentence() {
        assertThatThrownBy(() -> TopicReplayer.builder(clients, topics.frames(), "no.such.topic").build().run())
                .hasMessage("topic no.such.topic does not exist on " + clients.bootstrapServers()
                        + ": check the name (and --topic-prefix)");
    }

    @Test
    void exportToMp4GivesAFileFfmpegReadsBackWithTheSameFrameCount(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("cam1.mp4");
        var s = Mp4Exporter.builder(clients, topics.frames(), "cam1", out).build().run();
        assertThat(s.frames()).isEqualTo(100);
        assertThat(s.fps()).isEqualTo(10.0);
        assertThat(Files.size(out)).isGreaterThan(10_000);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile())) {
            g.start();
            assertThat(g.getImageWidth()).isEqualTo(320);
            assertThat(g.getImageHeight()).isEqualTo(240);
            assertThat(g.getFrameRate()).isCloseTo(10.0, within(0.01));
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            assertThat(n).isEqualTo(100);
        }
    }

    @Test
    void exportOfRenderedRecordsKeepsTheirPixels(@TempDir Path tmp) throws Exception {
        Topics t = TestTopics.created(clients, "export-rendered");
        // 12 frames at 25 fps: the first six pure red, the rest pure blue (BGR order in OpenCV)
        long t0 = io.dancestream.common.records.Timings.nowMicros();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.producer("rendered"))) {
            for (int i = 0; i < 12; i++) {
                Scalar colour = i < 6 ? new Scalar(0, 0, 255, 0) : new Scalar(255, 0, 0, 0);
                try (Mat m = new Mat(96, 128, opencv_core.CV_8UC3, colour)) {
                    Rendered r = Rendered.newBuilder().setStreamId("dancer").setSeq(i).setCaptureTimeUs(t0 + i * 40_000L)
                            .setWidth(128).setHeight(96).setJpeg(com.google.protobuf.ByteString.copyFrom(
                                    ImageCodec.encodeJpeg(m, 95))).setGeneratorVersion("v1").build();
                    p.send(new ProducerRecord<>(t.rendered(), null, (t0 + i * 40_000L) / 1000, "dancer", r.toByteArray()))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
        Path out = tmp.resolve("dancer.mp4");
        var s = Mp4Exporter.builder(clients, t.rendered(), "dancer", out).build().run();
        assertThat(s.frames()).isEqualTo(12);
        assertThat(s.fps()).isEqualTo(25.0);
        List<double[]> centres = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            org.bytedeco.javacv.Frame f;
            while ((f = g.grabImage()) != null) {
                Mat m = conv.convert(f);
                UByteIndexer idx = m.createIndexer();
                centres.add(new double[] {idx.get(48, 64, 0), idx.get(48, 64, 1), idx.get(48, 64, 2)});
                idx.close();
            }
        }
        assertThat(centres).hasSize(12);
        for (int i = 0; i < 12; i++) {
            double[] bgr = centres.get(i);
            if (i < 6) {
                assertThat(bgr[2]).as("red of frame %d", i).isGreaterThan(200);
                assertThat(bgr[0]).as("blue of frame %d", i).isLessThan(60);
            } else {
                assertThat(bgr[0]).as("blue of frame %d", i).isGreaterThan(200);
                assertThat(bgr[2]).as("red of frame %d", i).isLessThan(60);
            }
        }
    }

    @Test
    void exportOfAnUnknownStreamNamesTheStreamsThatExist(@TempDir Path tmp) {
        assertThatThrownBy(() -> Mp4Exporter.builder(clients, topics.frames(), "nobody", tmp.resolve("x.mp4"))
                .build().run())
                .hasMessage("topic " + topics.frames() + " has no records of stream nobody: check --stream "
                        + "(streams seen: cam1)");
    }
}
