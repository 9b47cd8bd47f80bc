package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.ingest.IngestHeaders;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.source.Pace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class PairedCaptureIT {

    private static final int N = 12;
    private static final int W = 160;
    private static final int H = 120;

    @Test
    void pairedCaptureFolderSendsFramesAndMasksWithMatchingSeqInNaturalOrder(EmbeddedKafkaBroker broker,
                                                                             @TempDir Path tmp) throws Exception {
        Path dir = TestMedia.pairedCaptures(tmp.resolve("captures"), N, W, H);
        Topics topics = TestTopics.created(broker.clients(), "paired");

        IngestSummary s = FrameIngestor.builder(broker.clients(), topics).source(dir.toString()).streamId("dancer")
                .pace(Pace.max).fps(15).train(true).build().run();

        assertThat(s.frames()).isEqualTo(N);
        assertThat(s.masks()).isEqualTo(N);
        List<ConsumerRecord<String, byte[]>> frames = TestRecords.readAll(broker.clients().consumer(null),
                topics.frames(), N, Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> masks = TestRecords.readAll(broker.clients().consumer(null),
                topics.masksRaw(), N, Duration.ofSeconds(30));
        assertThat(frames).hasSize(N);
        assertThat(masks).hasSize(N);
        for (int i = 0; i < N; i++) {
            Frame f = RecordSerdes.frame().decode(topics.frames(), 0, i, frames.get(i).value());
            RawMask m = RecordSerdes.rawMask().decode(topics.masksRaw(), 0, i, masks.get(i).value());
            assertThat(f.getSeq()).isEqualTo(i);
            assertThat(m.getSeq()).isEqualTo(i);
            assertThat(m.getCaptureTimeUs()).isEqualTo(f.getCaptureTimeUs());
            assertThat(masks.get(i).key()).isEqualTo("dancer");
            assertThat(masks.get(i).timestamp()).isEqualTo(frames.get(i).timestamp());
            assertThat(IngestHeaders.isTraining(masks.get(i).headers())).isTrue();
            assertThat(m.getSource()).endsWith("masks/capture" + i + ".png");
            // 15 fps folder: 66.667 ms apart
            if (i > 0) {
                Frame prev = RecordSerdes.frame().decode(topics.frames(), 0, i - 1, frames.get(i - 1).value());
                assertThat(f.getCaptureTimeUs() - prev.getCaptureTimeUs()).isBetween(66_666L, 66_667L);
            }
            // the frame is capture<i>.jpg (natural order, not capture10 after capture1): its blue encodes i
            try (Mat img = ImageCodec.decodeColor(f.getJpeg().toByteArray()); UByteIndexer px = img.createIndexer()) {
                assertThat(px.get(H - 1, W - 1, 0)).as("blue of frame %d", i).isCloseTo(10 * i, org.assertj.core.api.Assertions.within(4));
            }
            // the mask is the lossless PNG of mask i: palette colours exactly where mask i put them
            try (Mat img = ImageCodec.decodeColor(m.getImage().toByteArray()); UByteIndexer px = img.createIndexer()) {
                for (int p = 0; p < TestMedia.MASK_PARTS.length; p++) {
                    BodyPart part = TestMedia.MASK_PARTS[p];
                    int x = TestMedia.maskBlockX(i, p, W) + 2;
                    int y = p * H / 4 + 2;
                    assertThat(new int[] {px.get(y, x, 2), px.get(y, x, 1), px.get(y, x, 0)})
                            .as("mask %d part %s", i, part).containsExactly(part.red(), part.green(), part.blue());
                }
            }
        }
    }

    @Test
    void masksFromAnotherFolderAreResizedWithTheFramesAndKeepOnlyPaletteColours(EmbeddedKafkaBroker broker,
                                                                               @TempDir Path tmp) throws Exception {
        Path dir = TestMedia.pairedCaptures(tmp.resolve("c"), 4, W, H);
        Topics topics = TestTopics.created(broker.clients(), "masks-dir");

        IngestSummary s = FrameIngestor.builder(broker.clients(), topics).source(dir.resolve("frames").toString())
                .masks(dir.resolve("masks")).streamId("d2").pace(Pace.max).size(80, 0).build().run();

        assertThat(s.frames()).isEqualTo(4);
        assertThat(s.masks()).isEqualTo(4);
        Set<Integer> palette = new HashSet<>();
        for (BodyPart p : BodyPart.values()) {
            palette.add(p.rgb());
        }
        var masks = TestRecords.readAll(broker.clients().consumer(null), topics.masksRaw(), 4, Duration.ofSeconds(30));
        assertThat(masks).hasSize(4);
        for (int i = 0; i < 4; i++) {
            RawMask m = RecordSerdes.rawMask().decode(topics.masksRaw(), 0, i, masks.get(i).value());
            assertThat(m.getSeq()).isEqualTo(i);
            assertThat(m.getWidth()).isEqualTo(80);
            assertThat(m.getHeight()).isEqualTo(60);
            try (Mat img = ImageCodec.decodeColor(m.getImage().toByteArray()); UByteIndexer px = img.createIndexer()) {
                assertThat(img.cols()).isEqualTo(80);
                Set<Integer> seen = new HashSet<>();
                for (int y = 0; y < 60; y++) {
                    for (int x = 0; x < 80; x++) {
                        seen.add((px.get(y, x, 2) << 16) | (px.get(y, x, 1) << 8) | px.get(y, x, 0));
                    }
                }
                assertThat(palette).containsAll(seen);
                assertThat(seen).hasSize(1 + TestMedia.MASK_PARTS.length);
            }
        }
    }
}
