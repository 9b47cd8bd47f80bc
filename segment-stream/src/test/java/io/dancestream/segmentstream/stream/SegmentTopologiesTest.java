package io.dancestream.segmentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import com.google.protobuf.ByteString;
import io.dancestream.common.config.Mode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.DeadLetterHeaders;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every branch of {@link SegmentStreamApp}'s two topologies through TopologyTestDriver, with the
 * real BlazePose segmenter on a real photo (messi5.jpg) and real quantizer on a perturbed
 * captured mask.
 */
class SegmentTopologiesTest {

    static final Path MESSI = Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");
    static Segmenter segmenter;
    static byte[] jpeg;
    static int width;
    static int height;

    final Topics topics = new Topics("t.");
    final AtomicLong nowUs = new AtomicLong(1_700_000_000_000_000L);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SegmentMeters meters = new SegmentMeters(new DanceMetrics(registry), "test-model");
    TopologyTestDriver live;
    TopologyTestDriver pairs;

    @BeforeAll
    static void loadModel() throws Exception {
        segmenter = Segmenter.create(SegmenterConfig.defaults().withThreads(2));
        jpeg = Files.readAllBytes(MESSI);
        try (Mat m = ImageCodec.decodeColor(jpeg)) {
            width = m.cols();
            height = m.rows();
        }
    }

    @AfterAll
    static void closeModel() {
        segmenter.close();
    }

    @AfterEach
    void close() {
        if (live != null) {
            live.close();
        }
        if (pairs != null) {
            pairs.close();
        }
    }

    private SegmentStreamConfig config(Mode mode) {
        return SegmentStreamConfig.defaults(topics).withMode(mode).withTraining(new TrainingStreams(Set.of("configured")))
                .withPairWindow(Duration.ofSeconds(10));
    }

    private Properties props(Properties p) {
        p.put("bootstrap.servers", "unused:9092");
        return p;
    }

    private TopologyTestDriver live(Mode mode) {
        Properties p = props(SegmentStreamApp.liveConfig(new Properties(), topics, mode, 1, 100, null,
                meters.metrics()));
        live = new TopologyTestDriver(SegmentStreamApp.liveTopology(config(mode), segmenter,
                new MaskQuantizer(QuantizerFit.palette(), true), null, meters, nowUs::get), p);
        return live;
    }

    private TopologyTestDriver pairs() {
        Properties p = props(SegmentStreamApp.pairsConfig(new Properties(), topics, 100, null, meters.metrics()));
        pairs = new TopologyTestDriver(SegmentStreamApp.pairsTopology(config(Mode.replay), meters), p);
        return pairs;
    }

    private Frame frame(String stream, long seq, long captureUs) {
        return Frame.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs).setWidth(width)
                .setHeight(height).setJpeg(ByteString.copyFrom(jpeg)).setSource("file:" + MESSI).build();
    }

    private static TestRecord<String, Frame> record(Frame f, Headers h) {
        return new TestRecord<>(f.getStreamId(), f, h, f.getCaptureTimeUs() / 1000);
    }

    private static Headers train() {
        RecordHeaders h = new RecordHeaders();
        h.add(TrainingStreams.HEADER, "1".getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private TestInputTopic<String, Frame> framesIn(TopologyTestDriver d) {
        return d.createInputTopic(topics.frames(), new StringSerializer(), RecordSerdes.frame());
    }

    private TestOutputTopic<String, Segmentation> segmentsOut() {
        return live.createOutputTopic(topics.segments(), new StringDeserializer(), RecordSerdes.segmentation());
    }

    private TestOutputTopic<String, TrainingPair> pairsOut() {
        return pairs.createOutputTopic(topics.pairs(), new StringDeserializer(), RecordSerdes.trainingPair());
    }

    private double count(String stage, String outcome) {
        return registry.get("dance.frames").tags("stage", stage, "outcome", outcome).counter().count();
    }

    @Test
    void framesBecomeSegmentationsOfTheRealModel() {
        framesIn(live(Mode.live)).pipeInput(record(frame("cam", 7, nowUs.get()), new RecordHeaders()));
        List<TestRecord<String, Segmentation>> out = segmentsOut().readRecordsToList();
        assertThat(out).hasSize(1);
        Segmentation s = out.get(0).value();
        assertThat(out.get(0).key()).isEqualTo("cam");
        assertThat(out.get(0).timestamp()).isEqualTo(nowUs.get() / 1000);
        assertThat(s.getSeq()).isEqualTo(7);
        assertThat(s.getSource()).isEqualTo("model");
        assertThat(s.getSchema()).isEqualTo("bodypix24");
        assertThat(s.getModelId()).isEqualTo(segmenter.modelId());
        assertThat(s.getPersonScore()).isGreaterThan(0.5f);
        assertThat(s.getLandmarksList()).hasSize(33);
        assertThat(s.getTimingsList()).extracting(t -> t.getStage()).containsExactly("segment");
        try (Mat map = ImageCodec.decodeUnchanged(s.getClassMap().toByteArray())) {
            assertThat(map.cols()).isEqualTo(width);
            assertThat(map.rows()).isEqualTo(height);
            assertThat(map.channels()).isEqualTo(1);
            assertThat(org.bytedeco.opencv.global.opencv_core.countNonZero(map)).isGreaterThan(width * height / 50);
        }
        assertThat(count("segment", "processed")).isEqualTo(1.0);
        assertThat(registry.get("dance.inference").timer().count()).isEqualTo(1);
    }

    @Test
    void liveModeDropsAStaleFrameAndReplayKeepsIt() {
        long old = nowUs.get() - 2_000_000; // 2 s old, budget 500 ms
        framesIn(live(Mode.live)).pipeInput(record(frame("cam", 1, old), new RecordHeaders()));
        assertThat(segmentsOut().isEmpty()).isTrue();
        assertThat(count("segment", "dropped_stale")).isEqualTo(1.0);
        live.close();

        framesIn(live(Mode.replay)).pipeInput(record(frame("cam", 1, old), new RecordHeaders()));
        assertThat(segmentsOut().readValuesToList()).extracting(Segmentation::getSeq).containsExactly(1L);
        assertThat(count("segment", "dropped_stale")).isEqualTo(1.0);
    }

    @Test
    void aTombstoneOnTheFramesTopicIsSkippedWithoutADeadLetter() {
        live(Mode.live);
        TestInputTopic<String, byte[]> raw = live.createInputTopic(topics.frames(), new StringSerializer(),
                new ByteArraySerializer());
        raw.pipeInput("cam", (byte[]) null);
        framesIn(live).pipeInput(record(frame("cam", 5, nowUs.get()), new RecordHeaders()));

        assertThat(segmentsOut().readValuesToList()).extracting(Segmentation::getSeq).containsExactly(5L);
        assertThat(live.createOutputTopic(topics.dlq(), new StringDeserializer(), new ByteArrayDeserializer())
                .isEmpty()).isTrue();
        assertThat(count("segment", "processed")).isEqualTo(1.0);
        assertThat(count("segment", "failed")).isEqualTo(0.0);
        assertThat(count("segment", "dropped_stale")).isEqualTo(0.0);
    }

    @Test
    void corruptJpegAndForeignBytesGoToTheDlqAndTheAppGoesOn() {
        live(Mode.live);
        Frame bad = frame("cam", 3, nowUs.get()).toBuilder().setJpeg(ByteString.copyFromUtf8("not a jpeg at all")).build();
        TestInputTopic<String, byte[]> raw = live.createInputTopic(topics.frames(), new StringSerializer(),
                new ByteArraySerializer());
        raw.pipeInput("cam", bad.toByteArray());
        raw.pipeInput("cam", "hello".getBytes(StandardCharsets.UTF_8));
        framesIn(live).pipeInput(record(frame("cam", 4, nowUs.get()), new RecordHeaders()));

        TestOutputTopic<String, byte[]> dlq = live.createOutputTopic(topics.dlq(), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        TestRecord<String, byte[]> first = dead.get(0);
        assertThat(first.value()).isEqualTo(bad.toByteArray());
        assertThat(header(first.headers(), DeadLetterHeaders.STAGE)).isEqualTo("segment");
        assertThat(header(first.headers(), DeadLetterHeaders.ERROR_CLASS)).isEqualTo(FrameDecodeException.class.getName());
        assertThat(header(first.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("cam#3", "not a decodable image");
        assertThat(header(first.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topics.frames());
        assertThat(header(first.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(first.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        TestRecord<String, byte[]> second = dead.get(1);
        assertThat(header(second.headers(), DeadLetterHeaders.STAGE)).isEqualTo("deserialize");
        assertThat(header(second.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("Frame", topics.frames());
        assertThat(header(second.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(second.value()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        // the next good frame is still segmented
        assertThat(segmentsOut().readValuesToList()).extracting(Segmentation::getSeq).containsExactly(4L);
        assertThat(count("segment", "failed")).isEqualTo(1.0);
        assertThat(count("deserialize", "failed")).isEqualTo(1.0);
    }

    private static String header(Headers h, String key) {
        return new String(h.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void trainingStreamFramesBecomePairsAndOthersDoNot() {
        framesIn(live(Mode.replay));
        TestInputTopic<String, Frame> frames = framesIn(live);
        long t = nowUs.get();
        Frame marked = frame("dancer", 1, t);
        Frame configured = frame("configured", 1, t);
        Frame plain = frame("cam", 1, t);
        frames.pipeInput(record(marked, train()));
        frames.pipeInput(record(configured, new RecordHeaders()));
        frames.pipeInput(record(plain, new RecordHeaders()));
        List<TestRecord<String, Segmentation>> segs = segmentsOut().readRecordsToList();
        assertThat(segs).hasSize(3);

        pairs();
        TestInputTopic<String, Frame> pf = framesIn(pairs);
        TestInputTopic<String, Segmentation> ps = pairs.createInputTopic(topics.segments(), new StringSerializer(),
                RecordSerdes.segmentation());
        pf.pipeInput(record(marked, train()));
        pf.pipeInput(record(configured, new RecordHeaders()));
        pf.pipeInput(record(plain, new RecordHeaders()));
        for (TestRecord<String, Segmentation> s : segs) {
            ps.pipeInput(s); // headers travel with the segmentation, as Streams forwards them
        }
        List<TrainingPair> out = pairsOut().readValuesToList();
        assertThat(out).extracting(TrainingPair::getStreamId).containsExactlyInAnyOrder("dancer", "configured");
        TrainingPair p = out.get(0);
        assertThat(p.getFrameJpeg().toByteArray()).isEqualTo(jpeg);
        assertThat(p.getClassMap()).isEqualTo(segs.get(0).value().getClassMap());
        assertThat(p.getSegmentationSource()).isEqualTo("model");
        assertThat(p.getWidth()).isEqualTo(width);
        assertThat(p.getTimingsList()).extracting(x -> x.getStage()).containsExactly("segment", "pair");
        // the same segmentation again (the live path re-delivering after a restart): no second pair
        ps.pipeInput(segs.get(0));
        assertThat(pairsOut().isEmpty()).isTrue();
        assertThat(count("pair", "duplicate")).isEqualTo(1.0);
    }

    private Segmentation captured(String stream, long seq, long captureUs) {
        try (Mat truth = partRectangles(seq); Mat colours = PartSchema.colorize(truth)) {
            RawMask mask = RawMask.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                    .setWidth(width).setHeight(height).setImage(ByteString.copyFrom(ImageCodec.encodePng(colours)))
                    .setSource("bodypix-demo").build();
            live.createInputTopic(topics.masksRaw(), new StringSerializer(), RecordSerdes.rawMask())
                    .pipeInput(stream, mask, captureUs / 1000);
            Segmentation seg = segmentsOut().readValue();
            assertThat(seg.getSource()).isEqualTo("captured");
            try (Mat ids = ImageCodec.decodeUnchanged(seg.getClassMap().toByteArray())) {
                var acc = new io.dancestream.segmentstream.quantize.PixelAccuracy();
                acc.add(truth, ids);
                assertThat(acc.overall()).isGreaterThan(0.98);
            }
            return seg;
        }
    }

    /**
     * A captured BodyPix colour mask as the camera page sends it: a few part rectangles, placed by
     * {@code seq}, on background (the perturbed synthetic masks are the quantizer's own tests, in bench).
     */
    private Mat partRectangles(long seq) {
        Mat ids = new Mat(height, width, CV_8UC1, Scalar.all(BodyPart.BACKGROUND.id()));
        BodyPart[] parts = {BodyPart.LEFT_FACE, BodyPart.TORSO_FRONT, BodyPart.LEFT_UPPER_ARM_FRONT, BodyPart.RIGHT_UPPER_LEG_FRONT};
        int shift = (int) (seq % 7) * width / 80;
        for (int k = 0; k < parts.length; k++) {
            int x = width / 10 + k * width / 5 + shift;
            rectangle(ids, new Rect(x, height / 4, width / 8, height / 2), Scalar.all(parts[k].id()), FILLED, LINE_8, 0);
        }
        return ids;
    }

    @Test
    void capturedMaskAndFramePairInEitherOrder() {
        live(Mode.replay);
        pairs();
        long t = nowUs.get();
        TestInputTopic<String, Frame> pf = framesIn(pairs);
        TestInputTopic<String, Segmentation> ps = pairs.createInputTopic(topics.segments(), new StringSerializer(),
                RecordSerdes.segmentation());
        // mask first, then its frame (stream not marked for training: the mask asks for the pair)
        Segmentation s1 = captured("studio", 1, t);
        ps.pipeInput("studio", s1, t / 1000);
        assertThat(pairsOut().isEmpty()).isTrue();
        pf.pipeInput(record(frame("studio", 1, t), new RecordHeaders()));
        // frame first, then its mask (the stream is now known to capture masks)
        pf.pipeInput(record(frame("studio", 2, t + 33_000), new RecordHeaders()));
        Segmentation s2 = captured("studio", 2, t + 33_000);
        ps.pipeInput("studio", s2, (t + 33_000) / 1000);
        List<TrainingPair> out = pairsOut().readValuesToList();
        assertThat(out).extracting(TrainingPair::getSeq).containsExactly(1L, 2L);
        assertThat(out).extracting(TrainingPair::getSegmentationSource).containsOnly("captured");
        assertThat(out.get(1).getClassMap()).isEqualTo(s2.getClassMap());
    }

    @Test
    void aCapturedMaskWhoseFrameNeverComesIsCountedAfterTheWindow() {
        live(Mode.replay);
        pairs();
        long t = nowUs.get();
        TestInputTopic<String, Segmentation> ps = pairs.createInputTopic(topics.segments(), new StringSerializer(),
                RecordSerdes.segmentation());
        ps.pipeInput("studio", captured("studio", 9, t), t / 1000);
        assertThat(count("pair", "unpaired")).isZero();
        // stream time passes the 10 s window (a frame of another stream moves it)
        framesIn(pairs).pipeInput(record(frame("other", 1, t + 12_000_000), new RecordHeaders()));
        assertThat(count("pair", "unpaired")).isEqualTo(1.0);
        // its frame arriving now is too late: no pair
        framesIn(pairs).pipeInput(record(frame("studio", 9, t), new RecordHeaders()));
        assertThat(pairsOut().isEmpty()).isTrue();
    }

    /** A model part map for (stream, seq) as the live path would write it: all background, frame size. */
    private Segmentation modelMap(String stream, long seq, long captureUs) {
        try (Mat ids = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_8UC1,
                new org.bytedeco.opencv.opencv_core.Scalar(0.0))) {
            return Segmentation.newBuilder().setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs)
                    .setWidth(width).setHeight(height).setClassMap(ByteString.copyFrom(ImageCodec.encodePng(ids)))
                    .setSource("model").build();
        }
    }

    @Test
    void aTrainingStreamFarAheadOfItsPartMapsLosesNoPair() {
        pairs();
        long t = nowUs.get();
        TestInputTopic<String, Frame> pf = framesIn(pairs);
        TestInputTopic<String, Segmentation> ps = pairs.createInputTopic(topics.segments(), new StringSerializer(),
                RecordSerdes.segmentation());
        // 300 frames at 10 fps = 30 s of capture time, three times the 10 s window, all before the first part map
        int n = 300;
        for (int seq = 0; seq < n; seq++) {
            pf.pipeInput(record(frame("dancer", seq, t + seq * 100_000L), train()));
        }
        Headers h = train();
        for (int seq = 0; seq < n; seq++) {
            long c = t + seq * 100_000L;
            ps.pipeInput(new TestRecord<>("dancer", modelMap("dancer", seq, c), h, c / 1000));
        }
        assertThat(pairsOut().readValuesToList()).extracting(TrainingPair::getSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, n).boxed().toList());
        assertThat(count("pair", "unpaired_frame")).isZero();
        assertThat(count("pair", "unpaired")).isZero();
    }

    @Test
    void aFrameItsStreamsPartMapsPassedByTheWindowIsCountedNotKeptForever() {
        pairs();
        long t = nowUs.get();
        TestInputTopic<String, Frame> pf = framesIn(pairs);
        TestInputTopic<String, Segmentation> ps = pairs.createInputTopic(topics.segments(), new StringSerializer(),
                RecordSerdes.segmentation());
        for (int seq = 0; seq < 3; seq++) {
            pf.pipeInput(record(frame("dancer", seq, t + seq * 100_000L), train()));
        }
        // seq 1 was dropped as stale upstream: its part map never comes
        ps.pipeInput(new TestRecord<>("dancer", modelMap("dancer", 0, t), train(), t / 1000));
        ps.pipeInput(new TestRecord<>("dancer", modelMap("dancer", 2, t + 200_000), train(), (t + 200_000) / 1000));
        assertThat(pairsOut().readValuesToList()).extracting(TrainingPair::getSeq).containsExactly(0L, 2L);
        assertThat(count("pair", "unpaired_frame")).isZero();
        // the stream's part maps move 12 s on (past the 10 s window): frame 1 is given up and counted
        long later = t + 12_000_000L;
        pf.pipeInput(record(frame("dancer", 120, later), train()));
        ps.pipeInput(new TestRecord<>("dancer", modelMap("dancer", 120, later), train(), later / 1000));
        assertThat(pairsOut().readValuesToList()).extracting(TrainingPair::getSeq).containsExactly(120L);
        // eviction runs on the next stream-time punctuation
        pf.pipeInput(record(frame("other", 1, later + 2_000_000L), new RecordHeaders()));
        assertThat(count("pair", "unpaired_frame")).isEqualTo(1.0);
        // its part map arriving after all finds no frame: counted as unpaired once the window passes
        ps.pipeInput(new TestRecord<>("dancer", modelMap("dancer", 1, t + 100_000), train(), (t + 100_000) / 1000));
        pf.pipeInput(record(frame("other", 1, t + 30_000_000L), new RecordHeaders()));
        assertThat(pairsOut().isEmpty()).isTrue();
        assertThat(count("pair", "unpaired")).isEqualTo(1.0);
    }
}
