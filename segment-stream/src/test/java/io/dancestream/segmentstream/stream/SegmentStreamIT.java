package io.dancestream.segmentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dancestream.common.config.Mode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.TopicReader;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.common.records.Timings;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * segment-stream on a real KRaft broker with the real BlazePose models and 100 frames of
 * vtest.avi, in replay mode: exactly 100 part maps in seq order, with track ids that restart
 * after a gap without a person; exactly 100 training pairs carrying those track ids, also when the service process is killed (SIGKILL) mid-way and a new instance takes over.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SegmentStreamIT {

    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    static final int N = 100;
    static List<byte[]> jpegs;
    static int width;
    static int height;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readVideo() throws Exception {
        jpegs = io.dancestream.common.io.VideoFrames.jpegs(VTEST, N);
        try (Mat m = ImageCodec.decodeColor(jpegs.get(0))) {
            width = m.cols();
            height = m.rows();
        }
    }

    private static void ingest(EmbeddedKafkaBroker broker, Topics topics, String stream) {
        ingest(broker, topics, stream, Set.of());
    }

    /** Ingests the N frames as a training stream; the frames in {@code blank} are an empty grey scene. */
    private static void ingest(EmbeddedKafkaBroker broker, Topics topics, String stream, Set<Integer> blank) {
        byte[] grey;
        try (Mat g = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0))) {
            grey = ImageCodec.encodeJpeg(g, 90);
        }
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("it-ingest"))) {
            for (int i = 0; i < N; i++) {
                Frame f = Frame.newBuilder().setStreamId(stream).setSeq(i).setCaptureTimeUs(Timings.nowMicros())
                        .setWidth(width).setHeight(height)
                        .setJpeg(ByteString.copyFrom(blank.contains(i) ? grey : jpegs.get(i)))
                        .setSource("file:" + VTEST).build();
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), null,
                        f.getCaptureTimeUs() / 1000, stream, f.toByteArray());
                r.headers().add(TrainingStreams.HEADER, "1".getBytes(StandardCharsets.UTF_8));
                p.send(r);
            }
        }
    }

    /** Reads a topic (read_committed) until {@code done} holds for what was read, or a timeout. */
    private static List<ConsumerRecord<String, byte[]>> read(EmbeddedKafkaBroker broker, String topic,
                                                             Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                             Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (TopicReader<String, byte[]> reader = TopicReader.open(broker.clients(), topic, true)) {
            reader.readUntil(timeout, out::add, () -> done.test(out));
        }
        return out;
    }

    private static long distinctSeqs(List<ConsumerRecord<String, byte[]>> pairs) {
        return pairs.stream().map(r -> RecordSerdes.trainingPair().deserialize("pairs", r.value()).getSeq())
                .distinct().count();
    }

    @Test
    void hundredFramesGiveHundredPartMapsInOrderAndHundredPairs(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = TestTopics.created(broker.clients(), "segment-it");
        // the person leaves the scene for frames 70..74 (camera covered): the track must end and a new one start
        Set<Integer> blank = Set.of(70, 71, 72, 73, 74);
        ingest(broker, topics, "vtest", blank);
        SegmentStreamConfig cfg = SegmentStreamConfig.defaults(topics).withMode(Mode.replay);
        try (Segmenter seg = Segmenter.create(SegmenterConfig.defaults().withThreads(2));
             SegmentStreamApp app = SegmentStreamApp.start(broker.clients(), cfg, seg,
                     new MaskQuantizer(QuantizerFit.palette(), true), null,
                     new DanceMetrics(new SimpleMeterRegistry()),
                     SegmentStreamApp.Options.defaults().withStateDir(tmp.toString()))) {
            List<ConsumerRecord<String, byte[]>> segs = read(broker, topics.segments(), l -> l.size() >= N,
                    Duration.ofMinutes(10));
            List<ConsumerRecord<String, byte[]>> pairs = read(broker, topics.pairs(), l -> l.size() >= N,
                    Duration.ofMinutes(2));
            // nothing more arrives
            Thread.sleep(3000);
            assertThat(read(broker, topics.segments(), l -> false, Duration.ofSeconds(3))).hasSize(N);
            assertThat(segs).hasSize(N);
            List<Long> seqs = new ArrayList<>();
            Map<Long, String> trackOf = new HashMap<>();
            int withPerson = 0;
            for (ConsumerRecord<String, byte[]> r : segs) {
                Segmentation s = RecordSerdes.segmentation().deserialize(topics.segments(), r.value());
                seqs.add(s.getSeq());
                trackOf.put(s.getSeq(), s.getTrackId());
                assertThat(r.key()).isEqualTo("vtest");
                assertThat(r.timestamp()).isEqualTo(s.getCaptureTimeUs() / 1000);
                try (Mat map = ImageCodec.decodeUnchanged(s.getClassMap().toByteArray())) {
                    assertThat(map.cols()).isEqualTo(width);
                    assertThat(map.rows()).isEqualTo(height);
                    assertThat(map.channels()).isEqualTo(1);
                }
                if (s.getPersonScore() > 0.5f) {
                    withPerson++;
                    assertThat(s.getLandmarksList()).hasSize(33);
                }
            }
            // one stream = one partition = one ordered sequence
            assertThat(seqs).isSorted().doesNotHaveDuplicates().hasSize(N);
            assertThat(withPerson).as("frames of vtest with a person found").isPositive();
            assertThat(pairs).hasSize(N);
            assertThat(distinctSeqs(pairs)).isEqualTo(N);
            TrainingPair first = RecordSerdes.trainingPair().deserialize(topics.pairs(), pairs.get(0).value());
            assertThat(first.getWidth()).isEqualTo(width);
            assertThat(jpegs).anySatisfy(j -> assertThat(j).isEqualTo(first.getFrameJpeg().toByteArray()));
            assertTracks(segs, trackOf, blank);
            // every pair carries its part map's track
            for (ConsumerRecord<String, byte[]> r : pairs) {
                TrainingPair p = RecordSerdes.trainingPair().deserialize(topics.pairs(), r.value());
                assertThat(p.getTrackId()).as("track of pair " + p.getSeq()).isEqualTo(trackOf.get(p.getSeq()));
            }
            assertThat(pairs.stream().map(r -> RecordSerdes.trainingPair().deserialize(topics.pairs(), r.value())
                    .getTrackId()).filter(t -> !t.isEmpty()).distinct().count()).as("tracks among the pairs")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * A frame with a person has a track named after the frame where it started, the tracks are
     * unbroken runs of frames, frames without a person have none, and the frame after the blank
     * gap that has a person starts a new track there.
     */
    private static void assertTracks(List<ConsumerRecord<String, byte[]>> segs, Map<Long, String> trackOf,
                                     Set<Integer> blank) {
        Pattern id = Pattern.compile("vtest#(\\d+)");
        for (ConsumerRecord<String, byte[]> r : segs) {
            Segmentation s = RecordSerdes.segmentation().deserialize("segments", r.value());
            if (s.getLandmarksCount() == 0) {
                assertThat(s.getTrackId()).as("track of frame %d without a person", s.getSeq()).isEmpty();
                continue;
            }
            Matcher m = id.matcher(s.getTrackId());
            assertThat(m.matches()).as("track id '%s' of frame %d", s.getTrackId(), s.getSeq()).isTrue();
            long start = Long.parseLong(m.group(1));
            assertThat(start).isLessThanOrEqualTo(s.getSeq());
            for (long q = start; q <= s.getSeq(); q++) {
                assertThat(trackOf.get(q)).as("frame %d inside track %s", q, s.getTrackId()).isEqualTo(s.getTrackId());
            }
        }
        for (int b : blank) {
            assertThat(trackOf.get((long) b)).as("blank frame " + b).isEmpty();
        }
        long after = blank.stream().mapToLong(Integer::longValue).max().orElseThrow() + 1;
        while (after < N && trackOf.get(after).isEmpty()) {
            after++;
        }
        assertThat(after).as("a person found after the blank frames").isLessThan(N);
        assertThat(trackOf.get(after)).isEqualTo("vtest#" + after);
    }

    /** The service jar built by this module (java -jar), else the test JVM's class path. */
    private static List<String> serviceCommand() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            Path jar = s.filter(p -> p.getFileName().toString().matches("segment-stream-.*\\.jar")
                    && !p.getFileName().toString().contains("tests")).findFirst().orElse(null);
            if (jar != null && Files.isDirectory(Path.of("target", "lib"))) {
                return List.of(java, "-Xmx2g", "-jar", jar.toString());
            }
        }
        return List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "io.dancestream.segmentstream.SegmentStreamMain");
    }

    @Test
    void killedMidWayAndRestartedStillWritesEachPairOnce(EmbeddedKafkaBroker broker) throws Exception {
        Topics topics = TestTopics.created(broker.clients(), "segment-kill-it");
        ingest(broker, topics, "vtest");
        Path state = tmp.resolve("state-1");
        List<String> cmd = new ArrayList<>(serviceCommand());
        cmd.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", topics.prefix(),
                "--mode", "replay", "--metrics-port", "-1", "--state-dir", state.toString(), "--variant", "lite",
                "--inference-threads", "2", "--live-commit-ms", "500"));
        Process service = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("service.log").toFile()).start();
        try {
            List<ConsumerRecord<String, byte[]>> before = read(broker, topics.pairs(), l -> l.size() >= 30,
                    Duration.ofMinutes(5));
            assertThat(before.size()).as("pairs before the kill; log: %s", tmp.resolve("service.log"))
                    .isGreaterThanOrEqualTo(30).isLessThan(N);
        } finally {
            service.destroyForcibly().waitFor(); // SIGKILL: no clean shutdown, no final commit
        }
        // a new instance (another state directory, as on another host) takes over
        SegmentStreamConfig cfg = SegmentStreamConfig.defaults(topics).withMode(Mode.replay);
        try (Segmenter seg = Segmenter.create(SegmenterConfig.defaults().withThreads(2)
                     .withVariant(SegmenterConfig.Variant.LITE));
             SegmentStreamApp app = SegmentStreamApp.start(broker.clients(), cfg, seg,
                     new MaskQuantizer(QuantizerFit.palette(), true), null,
                     new DanceMetrics(new SimpleMeterRegistry()),
                     SegmentStreamApp.Options.defaults().withStateDir(tmp.resolve("state-2").toString()))) {
            List<ConsumerRecord<String, byte[]>> pairs = read(broker, topics.pairs(), l -> distinctSeqs(l) >= N,
                    Duration.ofMinutes(10));
            assertThat(distinctSeqs(pairs)).isEqualTo(N);
            Thread.sleep(5000); // re-delivered part maps would show up as extra pairs by now
            List<ConsumerRecord<String, byte[]>> all = read(broker, topics.pairs(), l -> false, Duration.ofSeconds(5));
            assertThat(all).hasSize(N);
            assertThat(distinctSeqs(all)).isEqualTo(N);
        }
        assertThat(new File(tmp.toFile(), "service.log")).content().doesNotContain("Exception in thread \"main\"");
    }
}
