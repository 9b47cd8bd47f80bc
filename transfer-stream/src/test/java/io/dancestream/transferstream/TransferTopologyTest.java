package io.dancestream.transferstream;

import static io.dancestream.transferstream.TestSegments.IN_BACKGROUND;
import static io.dancestream.transferstream.TestSegments.IN_PERSON;
import static io.dancestream.transferstream.TestSegments.TORSO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.DeadLetterHeaders;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.image.FramingStats;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.SourceFraming;
import io.dancestream.common.records.Timings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology driven record by record. The model loader runs on the calling thread here, so a
 * published model is in service before the next record is piped (in the app it loads in the
 * background).
 */
class TransferTopologyTest {

    private static final Topics TOPICS = new Topics("test.");
    /** JPEG is lossy: colours are compared within this many levels. */
    private static final int JPEG_TOLERANCE = 12;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registryMeters = new SimpleMeterRegistry();
    private final DanceMetrics metrics = new DanceMetrics(registryMeters);
    private TransferTopologyDriver topology;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> segments;
    private TestInputTopic<String, byte[]> models;
    private TestOutputTopic<String, byte[]> rendered;
    private TestOutputTopic<String, byte[]> dlq;

    private void start(TransferSettings settings) {
        topology = new TransferTopologyDriver(settings, new TransferMeters(metrics), 90, dir);
        driver = topology.driver;
        segments = topology.segments;
        models = topology.models;
        rendered = topology.rendered;
        dlq = topology.output(TOPICS.dlq());
    }

    private void startLive() {
        start(TransferSettings.defaults(TOPICS));
    }

    @AfterEach
    void close() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    private ModelVersion publish(String version, int[][] colours) {
        ModelVersion mv = TestGenerators.export(dir.resolve("model-" + version), "dancer", version, 32, colours);
        models.pipeInput("dancer", mv.toByteArray());
        return mv;
    }

    private void pipe(io.dancestream.common.proto.Segmentation s) {
        segments.pipeInput(s.getStreamId(), s.toByteArray());
    }

    private static Rendered parse(TestRecord<String, byte[]> r) throws Exception {
        return Rendered.parseFrom(r.value());
    }

    private static void assertColour(int[] actual, int[] expected) {
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("channel %d of %s vs %s", c, java.util.Arrays.toString(actual),
                    java.util.Arrays.toString(expected)).isCloseTo(expected[c], within(JPEG_TOLERANCE));
        }
    }

    private double count(String outcome) {
        return registryMeters.get("dance.frames").tags("stage", "transfer", "outcome", outcome).counter().count();
    }

    @Test
    void rendersASegmentWithTheGeneratorAndCarriesTimesOver() throws Exception {
        startLive();
        publish("1", TestGenerators.paletteColours());
        var seg = TestSegments.fresh("cam1", 7);
        pipe(seg);

        TestRecord<String, byte[]> out = rendered.readRecord();
        Rendered r = parse(out);
        assertThat(out.key()).isEqualTo("cam1");
        assertThat(out.timestamp()).isEqualTo(seg.getCaptureTimeUs() / 1000);
        assertThat(r.getSeq()).isEqualTo(7);
        assertThat(r.getCaptureTimeUs()).isEqualTo(seg.getCaptureTimeUs());
        assertThat(r.getWidth()).isEqualTo(64);
        assertThat(r.getHeight()).isEqualTo(48);
        assertThat(r.getGeneratorVersion()).isEqualTo("dancer:1");
        assertThat(r.getPlaceholder()).isFalse();
        assertThat(r.getTimingsList()).extracting(t -> t.getStage()).containsExactly("segment", "transfer");
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), IN_PERSON), TestGenerators.paletteColours()[TORSO]);
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), IN_BACKGROUND), TestGenerators.paletteColours()[0]);
        assertThat(rendered.isEmpty()).isTrue();
        assertThat(count("processed")).isEqualTo(1.0);
        assertThat(registryMeters.get("dance.inference").tags("model", "dancer:1").timer().count()).isEqualTo(1);
        assertThat(registryMeters.get("dance.model.info").tags("model", "dancer", "version", "1").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void withoutAGeneratorRendersTheColourPartMapAndSaysSo() throws Exception {
        startLive();
        pipe(TestSegments.fresh("cam1", 1));

        Rendered r = parse(rendered.readRecord());
        assertThat(r.getPlaceholder()).isTrue();
        assertThat(r.getGeneratorVersion()).isEqualTo("none");
        var torso = io.dancestream.common.parts.BodyPart.ofId(TORSO);
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), IN_PERSON),
                new int[] {torso.red(), torso.green(), torso.blue()});
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), IN_BACKGROUND), new int[] {255, 255, 255});
        assertThat(registryMeters.get("dance.rendered.placeholder").counter().count()).isEqualTo(1.0);
        assertThat(registryMeters.get("dance.generator.available").gauge().value()).isZero();
        assertThat(registryMeters.find("dance.model.info").gauge()).isNull();
    }

    @Test
    void aNewModelTakesOverBetweenTwoRecords() throws Exception {
        startLive();
        publish("1", TestGenerators.paletteColours());
        pipe(TestSegments.fresh("cam1", 1));
        pipe(TestSegments.fresh("cam1", 2));
        publish("2", TestGenerators.flatColours(20, 200, 40));
        pipe(TestSegments.fresh("cam1", 3));

        List<Rendered> out = rendered.readValuesToList().stream().map(v -> {
            try {
                return Rendered.parseFrom(v);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(out).extracting(Rendered::getSeq).containsExactly(1L, 2L, 3L);
        assertThat(out).extracting(Rendered::getGeneratorVersion).containsExactly("dancer:1", "dancer:1", "dancer:2");
        assertColour(TestSegments.rgbAt(out.get(1).getJpeg().toByteArray(), IN_PERSON),
                TestGenerators.paletteColours()[TORSO]);
        assertColour(TestSegments.rgbAt(out.get(2).getJpeg().toByteArray(), IN_PERSON), new int[] {20, 200, 40});
        assertColour(TestSegments.rgbAt(out.get(2).getJpeg().toByteArray(), IN_BACKGROUND), new int[] {20, 200, 40});
        assertThat(registryMeters.find("dance.model.info").tags("version", "1").gauge()).isNull();
        assertThat(registryMeters.get("dance.model.info").tags("model", "dancer", "version", "2").gauge().value())
                .isEqualTo(1.0);
        assertThat(registryMeters.get("dance.generator.available").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aModelThatFailsVerificationIsRejectedToTheDlqAndTheOldOneKeepsServing() throws Exception {
        startLive();
        publish("1", TestGenerators.paletteColours());
        ModelVersion tampered = TestGenerators.export(dir.resolve("model-2"), "dancer", "2", 32,
                TestGenerators.flatColours(1, 2, 3)).toBuilder().setSha256("0".repeat(64)).build();
        models.pipeInput("dancer", tampered.toByteArray());
        models.pipeInput("dancer", "not a model".getBytes());
        pipe(TestSegments.fresh("cam1", 1));

        Rendered r = parse(rendered.readRecord());
        assertThat(r.getGeneratorVersion()).isEqualTo("dancer:1");
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), IN_PERSON), TestGenerators.paletteColours()[TORSO]);

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        var h0 = dead.get(0).headers();
        assertThat(DeadLetterHeaders.text(h0, DeadLetterHeaders.STAGE)).isEqualTo("transfer-stream");
        assertThat(DeadLetterHeaders.text(h0, DeadLetterHeaders.ERROR_MESSAGE)).contains("dancer:2 rejected").contains("sha256 mismatch");
        assertThat(DeadLetterHeaders.text(h0, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPICS.models());
        assertThat(DeadLetterHeaders.text(h0, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(dead.get(0).value()).isEqualTo(tampered.toByteArray());
        assertThat(DeadLetterHeaders.text(dead.get(1).headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("ModelVersion");
        assertThat(registryMeters.get("dance.model.loads").tags("outcome", "rejected").counter().count()).isEqualTo(2.0);
        assertThat(registryMeters.get("dance.model.info").tags("model", "dancer", "version", "1").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void aPersonCropModelRendersThePersonWhereTheSourceIsOverItsOwnPlate() throws Exception {
        startLive();
        try (Mat plate = FrameRendererTest.gradientPlate(128, 96)) {
            models.pipeInput("dancer", TestGenerators.exportPersonCrop(dir.resolve("model-p"), "dancer", "p", 32,
                    TestGenerators.paletteColours(), plate).toByteArray());
            pipe(TestSegments.fresh("cam1", 3));
            Rendered r = parse(rendered.readRecord());
            assertThat(r.getGeneratorVersion()).isEqualTo("dancer:p");
            // the plate's scene at the plate's size; the 64x48 source maps in at twice the scale
            assertThat(new int[] {r.getWidth(), r.getHeight()}).containsExactly(128, 96);
            assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), new int[] {IN_PERSON[0] * 2, IN_PERSON[1] * 2}),
                    TestGenerators.paletteColours()[TORSO]);
            assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), new int[] {90, 120}), FrameRendererTest.plateRgb(90, 120));
            assertThat(dlq.isEmpty()).isTrue();
        }
    }

    @Test
    void aPersonCropModelWithoutItsPlateIsRejectedToTheDlqWithTheReason() throws Exception {
        startLive();
        publish("1", TestGenerators.paletteColours());
        ModelVersion mv;
        try (Mat plate = FrameRendererTest.gradientPlate(128, 96)) {
            mv = TestGenerators.exportPersonCrop(dir.resolve("model-2"), "dancer", "2", 32, TestGenerators.paletteColours(), plate);
        }
        java.nio.file.Files.delete(dir.resolve("model-2/plate.png"));
        mv = mv.toBuilder().setSha256(io.dancestream.common.records.ModelChecksum.of(dir.resolve("model-2"))).build();
        models.pipeInput("dancer", mv.toByteArray());
        pipe(TestSegments.fresh("cam1", 1));

        assertThat(parse(rendered.readRecord()).getGeneratorVersion()).isEqualTo("dancer:1");
        assertThat(DeadLetterHeaders.text(dlq.readRecord().headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .contains("dancer:2 rejected").contains("background plate 'plate.png' is not a file in the model directory");
    }

    @Test
    void aModelThatCannotLoadIsRejectedWithoutASegmentFlowing() {
        startLive();
        // a directory with the right checksum that is not a SavedModel
        ModelVersion mv = TestGenerators.notASavedModel(dir.resolve("bogus"), "dancer", "9", 32);
        models.pipeInput("dancer", mv.toByteArray());
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        var dead = dlq.readRecord();
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("model dancer:9 rejected: probe failed (exit 1): cannot load SavedModel " + mv.getLocation());
        pipe(TestSegments.fresh("cam1", 1));
        assertThat(rendered.readValue()).satisfies(v -> assertThat(Rendered.parseFrom(v).getPlaceholder()).isTrue());
    }

    @Test
    void withoutTheProbeAModelThatCannotLoadIsStillRejectedHere() {
        start(TransferSettings.defaults(TOPICS).withModelProbe(false, ModelProbe.DEFAULT_TIMEOUT));
        ModelVersion mv = TestGenerators.notASavedModel(dir.resolve("bogus"), "dancer", "9", 32);
        models.pipeInput("dancer", mv.toByteArray());
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(DeadLetterHeaders.text(dlq.readRecord().headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("model dancer:9 rejected: cannot load SavedModel " + mv.getLocation());
    }

    @Test
    void aModelThatAbortsTensorFlowIsRejectedByItsProbeAndTheOldOneKeepsServing() throws Exception {
        startLive();
        publish("1", TestGenerators.paletteColours());
        ModelVersion aborting = TestGenerators.exportAborting(dir.resolve("model-2"), "dancer", "2", 32);
        models.pipeInput("dancer", aborting.toByteArray());
        pipe(TestSegments.fresh("cam1", 1));

        // had this JVM run the model, the test would have died here with it
        Rendered r = parse(rendered.readRecord());
        assertThat(r.getGeneratorVersion()).isEqualTo("dancer:1");
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), IN_PERSON), TestGenerators.paletteColours()[TORSO]);
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo(aborting.toByteArray());
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("model dancer:2 rejected: probe JVM died with SIGABRT (exit 134): ")
                .contains("Abort_op intentional failure; test generator aborts on purpose");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(registryMeters.get("dance.model.loads").tags("outcome", "rejected").counter().count()).isEqualTo(1.0);
        assertThat(registryMeters.get("dance.model.info").tags("model", "dancer", "version", "1").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void liveModeDropsStaleFramesBeforeInferenceAndCountsThem() throws Exception {
        start(TransferSettings.defaults(TOPICS).withMode(Mode.live, Duration.ofMillis(500)));
        publish("1", TestGenerators.paletteColours());
        pipe(TestSegments.segment("cam1", 1, Timings.nowMicros() - 5_000_000));
        pipe(TestSegments.fresh("cam1", 2));

        assertThat(rendered.readValuesToList()).extracting(v -> Rendered.parseFrom(v).getSeq()).containsExactly(2L);
        assertThat(count("dropped_stale")).isEqualTo(1.0);
        assertThat(count("processed")).isEqualTo(1.0);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void replayModeRendersOldFramesToo() throws Exception {
        start(TransferSettings.defaults(TOPICS).withMode(Mode.replay, Duration.ZERO));
        pipe(TestSegments.segment("cam1", 1, Timings.nowMicros() - 3_600_000_000L));
        assertThat(parse(rendered.readRecord()).getSeq()).isEqualTo(1);
        assertThat(count("dropped_stale")).isZero();
    }

    @Test
    void aCorruptClassMapOrAForeignRecordGoesToTheDlqAndTheStreamGoesOn() throws Exception {
        startLive();
        var broken = TestSegments.fresh("cam1", 1).toBuilder()
                .setClassMap(com.google.protobuf.ByteString.copyFromUtf8("not a png at all")).build();
        var wrongSize = TestSegments.fresh("cam1", 2).toBuilder().setWidth(640).build();
        pipe(broken);
        pipe(wrongSize);
        segments.pipeInput("cam1", new byte[] {1, 2, 3});
        pipe(TestSegments.fresh("cam1", 4));

        assertThat(rendered.readValuesToList()).extracting(v -> Rendered.parseFrom(v).getSeq()).containsExactly(4L);
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(3);
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("seq 1").contains("not a PNG");
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.ERROR_CLASS)).endsWith("CorruptClassMapException");
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPICS.segments());
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(dead.get(0).value()).isEqualTo(broken.toByteArray());
        assertThat(DeadLetterHeaders.text(dead.get(1).headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("must be 8-bit single-channel 640x48");
        assertThat(DeadLetterHeaders.text(dead.get(2).headers(), DeadLetterHeaders.ERROR_CLASS)).endsWith("BadRecordException");
        assertThat(DeadLetterHeaders.text(dead.get(2).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("2");
        assertThat(count("failed")).isEqualTo(3.0);
    }

    @Test
    void microBatchesFillUpToBOrFlushAfterT() throws Exception {
        start(TransferSettings.defaults(TOPICS).withMode(Mode.replay, Duration.ZERO).withBatch(3, Duration.ofMillis(50)));
        publish("1", TestGenerators.paletteColours());
        pipe(TestSegments.fresh("cam1", 1));
        pipe(TestSegments.fresh("cam1", 2));
        assertThat(rendered.isEmpty()).as("batch not full yet").isTrue();
        pipe(TestSegments.fresh("cam1", 3));
        assertThat(rendered.readValuesToList()).extracting(v -> Rendered.parseFrom(v).getSeq()).containsExactly(1L, 2L, 3L);
        assertThat(registryMeters.get("dance.batch.size").summary().max()).isEqualTo(3.0);

        pipe(TestSegments.fresh("cam1", 4));
        assertThat(rendered.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(60));
        assertThat(rendered.readValuesToList()).extracting(v -> Rendered.parseFrom(v).getSeq()).containsExactly(4L);
    }

    @Test
    void aPinnedStreamKeepsItsModelWhileOthersFollowTheLatest() throws Exception {
        start(TransferSettings.defaults(TOPICS).withSelection(new ModelSelection(java.util.Map.of("cam2", "dancer"))));
        publish("1", TestGenerators.paletteColours());
        ModelVersion other = TestGenerators.export(dir.resolve("other"), "ballet", "5", 32, TestGenerators.flatColours(9, 9, 9));
        models.pipeInput("ballet", other.toByteArray());
        pipe(TestSegments.fresh("cam1", 1));
        pipe(TestSegments.fresh("cam2", 1));
        assertThat(rendered.readValuesToList()).extracting(v -> Rendered.parseFrom(v).getGeneratorVersion())
                .containsExactly("ballet:5", "dancer:1");
    }

    // --- pose normalization -------------------------------------------------------------------

    /** Where the target stood in its 128x96 plate: feet from y 50 (30 px tall) to y 90 (60 px), centred at x 80. */
    private static final FramingStats TARGET = new FramingStats(10, 90, 60, 50, 30, 80);
    private static final String CHANGELOG =
            TransferTopologyDriver.APP_ID + "-" + TransferStreamApp.FRAMING_STORE + "-changelog";

    /** Probing in a child JVM is tested above; here it would only add seconds per model. */
    private static TransferSettings unprobed() {
        return TransferSettings.defaults(TOPICS).withModelProbe(false, ModelProbe.DEFAULT_TIMEOUT);
    }

    private void publishFramed(String version, Mat plate) {
        ModelVersion mv = TestGenerators.exportPersonCrop(dir.resolve("model-f" + version), "dancer", version, 32,
                TestGenerators.paletteColours(), plate).toBuilder().setTargetFraming(TARGET.toProto()).build();
        models.pipeInput("dancer", mv.toByteArray());
    }

    /** A 64x48 segmentation of track {@code track} whose person is the torso rectangle (x, y, w, h). */
    private static Segmentation personAt(long seq, String track, int x, int y, int w, int h) {
        Mat m = new Mat(48, 64, opencv_core.CV_8UC1, new Scalar(0));
        try (m; Rect r = new Rect(x, y, w, h); Mat roi = m.apply(r)) {
            roi.put(new Scalar(TORSO));
            return TestSegments.fresh("cam1", seq).toBuilder().setTrackId(track)
                    .setClassMap(com.google.protobuf.ByteString.copyFrom(ImageCodec.encodePng(m))).build();
        }
    }

    private FramingStats stored() throws Exception {
        byte[] v = driver.<String, byte[]>getKeyValueStore(TransferStreamApp.FRAMING_STORE).get("cam1");
        return FramingStats.fromProto(SourceFraming.parseFrom(v).getStats());
    }

    private void assertPerson(Rendered r, int row, int col) {
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), new int[] {row, col}), TestGenerators.paletteColours()[TORSO]);
    }

    private void assertPlate(Rendered r, int row, int col) {
        assertColour(TestSegments.rgbAt(r.getJpeg().toByteArray(), new int[] {row, col}), FrameRendererTest.plateRgb(row, col));
    }

    @Test
    void normalizedPlacementPutsTheSourceIntoTheTargetsFramingAndSourcePlacementDoesNot() throws Exception {
        try (Mat plate = FrameRendererTest.gradientPlate(128, 96)) {
            start(unprobed());
            publishFramed("1", plate);
            // source person: feet at y 40, 32 px tall, centre x 20 of 64x48; one frame seen, so the height
            // ratio alone: 45/32, feet to the target's middle (y 70), centre to x 80 -> cols 63-97, rows 25-70
            pipe(personAt(1, "cam1#1", 8, 8, 24, 32));
            Rendered r = parse(rendered.readRecord());
            assertPerson(r, 45, 85);
            assertPlate(r, 45, 30);
            assertThat(stored().frames()).isEqualTo(1);
            close();

            // --placement source: twice the source's position (cols 16-64, rows 16-80), whatever the model says
            start(unprobed().withPlacement(Placement.source, 10));
            publishFramed("s", plate);
            pipe(personAt(1, "cam1#1", 8, 8, 24, 32));
            Rendered s = parse(rendered.readRecord());
            assertPerson(s, 45, 30);
            assertPlate(s, 45, 85);
        }
    }

    @Test
    void statisticsAreRestoredFromTheChangelogKeptAcrossANewGeneratorAndResetByANewTrack() throws Exception {
        try (Mat plate = FrameRendererTest.gradientPlate(128, 96)) {
            start(unprobed().withPlacement(Placement.normalized, 2));
            publishFramed("1", plate);
            pipe(personAt(1, "cam1#1", 8, 8, 24, 32));  // near: feet y 40, 32 px tall
            pipe(personAt(2, "cam1#1", 20, 4, 12, 16)); // far: feet y 20, 16 px tall
            rendered.readRecordsToList();
            assertThat(stored().frames()).isEqualTo(2);
            List<TestRecord<String, byte[]>> changelog = topology.output(CHANGELOG).readRecordsToList();
            assertThat(changelog).extracting(TestRecord::key).containsExactly("cam1", "cam1");
            close();

            // a restart: a fresh instance whose store Streams restores from the changelog
            start(unprobed().withPlacement(Placement.normalized, 2));
            var store = driver.<String, byte[]>getKeyValueStore(TransferStreamApp.FRAMING_STORE);
            assertThat(store.get("cam1")).isNull();
            changelog.forEach(rec -> store.put(rec.key(), rec.value()));
            publishFramed("2", plate); // a new generator: the source's statistics stay
            // at the near end of the restored range: scale 60/32, feet to y 90, centre by 80 - 1.875*23
            // -> cols 52-97, rows 30-90. Statistics of this frame alone would give rows 25-70.
            pipe(personAt(3, "cam1#1", 8, 8, 24, 32));
            Rendered restored = parse(rendered.readRecord());
            assertThat(restored.getGeneratorVersion()).isEqualTo("dancer:2");
            assertPerson(restored, 80, 60);
            assertThat(stored().frames()).isEqualTo(2);

            // the detector re-acquired: a new track starts its statistics over (rows 25-70 again)
            pipe(personAt(4, "cam1#4", 8, 8, 24, 32));
            Rendered reset = parse(rendered.readRecord());
            assertPlate(reset, 80, 60);
            assertPerson(reset, 45, 85);
            assertThat(stored().frames()).isEqualTo(1);
        }
    }
}
