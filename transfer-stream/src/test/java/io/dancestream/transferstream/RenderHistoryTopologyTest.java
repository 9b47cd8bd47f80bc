package io.dancestream.transferstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.RenderHistory;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path's per-stream history with a two-frame generator whose rule is known
 * ({@link TestGenerators#exportTemporal}: half the class colour plus half the previous render), so
 * each rendered pixel says what the frame was conditioned on: 100 = nothing (a start), 150 = a
 * first render, 175 = a second one, for a person colour of 200.
 */
class RenderHistoryTopologyTest {

    private static final Topics TOPICS = new Topics("test.");
    private static final String CHANGELOG =
            TransferTopologyDriver.APP_ID + "-" + TransferStreamApp.HISTORY_STORE + "-changelog";
    private static final int JPEG_TOLERANCE = 6;
    /** The person's pixel in the 128x96 plate's scene (the 64x48 source at twice the scale). */
    private static final int[] PERSON = {TestSegments.IN_PERSON[0] * 2, TestSegments.IN_PERSON[1] * 2};
    private static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TransferTopologyDriver topology;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> segments;
    private TestInputTopic<String, byte[]> models;
    private TestOutputTopic<String, byte[]> rendered;
    private Mat plate;

    private void start(TransferSettings.Continuity continuity) {
        TransferSettings settings = TransferSettings.defaults(TOPICS).withMode(Mode.replay, Duration.ZERO)
                .withModelProbe(false, ModelProbe.DEFAULT_TIMEOUT).withPlacement(Placement.source, 10)
                .withContinuity(continuity);
        topology = new TransferTopologyDriver(settings, new TransferMeters(new DanceMetrics(meters)), 95, dir);
        driver = topology.driver;
        segments = topology.segments;
        models = topology.models;
        rendered = topology.rendered;
    }

    private void start() {
        start(TransferSettings.Continuity.DEFAULT);
    }

    @AfterEach
    void close() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
        if (plate != null) {
            plate.close();
            plate = null;
        }
    }

    private void publish(String version, int colour) {
        if (plate == null) {
            plate = FrameRendererTest.gradientPlate(128, 96);
        }
        ModelVersion mv = TestGenerators.exportTemporal(dir.resolve("model-" + version), "dancer", version, 32,
                TestGenerators.flatColours(colour, colour, colour), plate);
        models.pipeInput("dancer", mv.toByteArray());
    }

    /** Renders frame seq of track at capture time T0 + ms, and returns its person pixel's red level. */
    private int render(long seq, String track, long ms) throws Exception {
        Segmentation s = TestSegments.segment("cam1", seq, T0 + ms * 1000).toBuilder().setTrackId(track).build();
        segments.pipeInput("cam1", s.toByteArray());
        Rendered r = Rendered.parseFrom(rendered.readRecord().value());
        return TestSegments.rgbAt(r.getJpeg().toByteArray(), PERSON)[0];
    }

    /** Model dancer:1 (person colour 200) serves; frames 1 and 2 of track cam1#1 rendered, 2 conditioned on 1. */
    private void startWithTwoFramesRendered() throws Exception {
        start();
        publish("1", 200);
        render(1, "cam1#1", 0);
        assertThat(render(2, "cam1#1", 33)).isCloseTo(150, within(JPEG_TOLERANCE));
    }

    private double outcome(String o) {
        return meters.get("dance.render.history").tag("outcome", o).counter().count();
    }

    @Test
    void consecutiveFramesAndShortGapsAreConditionedOnTheLastRenderALongGapStartsOver() throws Exception {
        start();
        publish("1", 200);
        assertThat(render(1, "cam1#1", 0)).isCloseTo(100, within(JPEG_TOLERANCE));   // a stream's first frame: nothing
        assertThat(render(2, "cam1#1", 33)).isCloseTo(150, within(JPEG_TOLERANCE));  // conditioned on frame 1
        // three frames dropped upstream (seq 3-5): still the same stream, conditioned on frame 2's render
        assertThat(render(6, "cam1#1", 166)).isCloseTo(175, within(JPEG_TOLERANCE));
        // idle past the 1 s reset gap: starts over
        assertThat(render(7, "cam1#1", 1_500)).isCloseTo(100, within(JPEG_TOLERANCE));
        assertThat(outcome("first")).isEqualTo(1);
        assertThat(outcome("continued")).isEqualTo(2);
        assertThat(outcome("gap")).isEqualTo(1);
    }

    @Test
    void aReacquiredTrackOrAnOlderFrameStartsOver() throws Exception {
        startWithTwoFramesRendered();
        // the detector lost the person and found one again: another track id
        assertThat(render(3, "cam1#3", 66)).isCloseTo(100, within(JPEG_TOLERANCE));
        assertThat(render(4, "cam1#3", 100)).isCloseTo(150, within(JPEG_TOLERANCE));
        // a frame older than the last one rendered (a replayed seq) does not follow it
        assertThat(render(2, "cam1#3", 133)).isCloseTo(100, within(JPEG_TOLERANCE));
        assertThat(outcome("track")).isEqualTo(2);
    }

    @Test
    void aHotSwappedGeneratorStartsItsConditioningOver() throws Exception {
        startWithTwoFramesRendered();
        publish("2", 240);
        // version 2 is not fed version 1's render: half of 240
        assertThat(render(3, "cam1#1", 66)).isCloseTo(120, within(JPEG_TOLERANCE));
        assertThat(render(4, "cam1#1", 100)).isCloseTo(180, within(JPEG_TOLERANCE));
        assertThat(outcome("generator")).isEqualTo(1);
    }

    @Test
    void aRestartContinuesEveryStreamFromItsChangelog() throws Exception {
        startWithTwoFramesRendered();
        List<TestRecord<String, byte[]>> changelog = topology.output(CHANGELOG).readRecordsToList();
        assertThat(changelog).extracting(TestRecord::key).containsExactly("cam1", "cam1");
        RenderHistory last = RenderHistory.parseFrom(changelog.get(1).value());
        assertThat(last.getSeq()).isEqualTo(2);
        assertThat(last.getGenerator()).isEqualTo("dancer:1");
        assertThat(last.getRgb().size()).isEqualTo(32 * 32 * 3);
        close();

        // a new instance: Streams restores the in-memory store from its changelog
        start();
        var store = driver.<String, byte[]>getKeyValueStore(TransferStreamApp.HISTORY_STORE);
        changelog.forEach(rec -> store.put(rec.key(), rec.value()));
        publish("1", 200); // the same generator, announced again to the new instance
        assertThat(render(3, "cam1#1", 66)).isCloseTo(175, within(JPEG_TOLERANCE));
    }

    @Test
    void withoutASteadyCropEachFrameUsesItsOwnCropAndTheConditioningStillHolds() throws Exception {
        start(new TransferSettings.Continuity(false, Duration.ofSeconds(1)));
        publish("1", 200);
        render(1, "cam1#1", 0);
        assertThat(render(2, "cam1#1", 33)).isCloseTo(150, within(JPEG_TOLERANCE));
        RenderHistory h = RenderHistory.parseFrom(driver.<String, byte[]>getKeyValueStore(TransferStreamApp.HISTORY_STORE).get("cam1"));
        assertThat(h.getSmoothSide()).isZero();
    }
}
