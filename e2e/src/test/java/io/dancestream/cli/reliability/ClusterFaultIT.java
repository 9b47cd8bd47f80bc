package io.dancestream.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.broker.LocalCluster;
import io.dancestream.common.config.Mode;
import io.dancestream.common.io.SampleData;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.StreamIds;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.net.FreePorts;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.service.ChildJvm;
import io.dancestream.common.records.Timings;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.source.Pace;
import io.dancestream.segmentstream.SegmentStreamMain;
import io.dancestream.segmentstream.stream.TrainingStreams;
import io.dancestream.transferstream.TransferStreamMain;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on a real three-node KRaft cluster ({@link LocalCluster}: each broker a {@code dance
 * broker --node-id N --controller-quorum ...} in its own JVM; topics with 3 replicas and
 * min.insync.replicas=2), the services each in their own JVM ({@code dance segment-stream} with
 * BlazePose lite from the model cache, {@code dance transfer-stream} with a real tiny generator),
 * fed by four streams of vtest.avi that land on the four partitions:
 *
 * <ul>
 *   <li>replay mode (exactly_once_v2, from {@code --mode} alone): kill -9 one of two segment-stream
 *       instances; kill -9 one of two transfer-stream instances; kill -9 one broker and start it
 *       again. Every frame's outputs on segments, pairs and rendered, read committed, by
 *       (stream id, seq): none lost, none twice;</li>
 *   <li>live mode: kill -9 one of two segment-stream instances; lost, dropped and duplicated
 *       frames are reported (live mode may drop, never invents).</li>
 * </ul>
 *
 * Before each kill the two instances are checked to split the partitions (their
 * {@code dance_partition_owned} rows). The time from the kill to the first output on the killed
 * instance's partitions is printed, never asserted; {@code -Dcluster.fault.runs=N} repeats each
 * replay case N times and prints p50/max ({@code docs/benchmarks-scaleout.md}),
 * {@code -Dcluster.fault.standby=0} runs the services without standby replicas, {@code =alternate} switches
 * between 1 and 0 from run to run (the fair comparison on a loaded machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

    static final Path VIDEO = Path.of(SampleData.VTEST);
    static final int PARTITIONS = Topics.DEFAULT_PARTITIONS;
    static final int FRAMES_PER_STREAM = Integer.getInteger("cluster.fault.frames", 30);
    /** Per stream: 4 streams at 2 fps keep two BlazePose-lite instances busy on 2 loaded cores without a huge backlog. */
    static final double FPS = Double.parseDouble(System.getProperty("cluster.fault.fps", "2"));
    static final int RUNS = Integer.getInteger("cluster.fault.runs", 1);
    /** Standby replicas of the services: a number, or "alternate" (1, 0, 1, ... by run: a fair comparison on a loaded machine). */
    static final String STANDBY = System.getProperty("cluster.fault.standby", "1");
    static final Duration PATIENCE = Duration.ofSeconds(240);
    /** The live case plays the recording this many times: long enough to outlast a failover. */
    static final int LIVE_ROUNDS = 3;
    /**
     * Live frame-age budget of both apps: 2 s, as the load test uses on this shared 2-core machine
     * (the services' 500 ms default drops nearly everything here when other builds run).
     */
    static final Duration LIVE_BUDGET = Duration.ofSeconds(2);
    /** One stream id per partition, so two instances both have work. */
    static final List<String> STREAMS = StreamIds.spread("cam-", PARTITIONS, PARTITIONS);

    private Path dir;
    private LocalCluster cluster;
    private ModelVersion model;
    private final Map<String, List<Long>> failoverMs = new java.util.LinkedHashMap<>();
    /** The frames every case feeds, decoded once from vtest.avi (160 px wide), seq-major. */
    private final List<Frame> frames = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        assumeTrue(Files.isRegularFile(VIDEO), "opencv-doc's vtest.avi is not installed");
        dir = Files.createTempDirectory("cluster-fault-it-");
        long t0 = System.nanoTime();
        cluster = LocalCluster.startOnFreePorts(dir.resolve("cluster"), 3, Duration.ofMinutes(3));
        System.out.printf("cluster: 3 nodes up in %d ms at %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), cluster.bootstrapServers());
        model = TinyGenerator.export(dir.resolve("model"), "dancer", "v1");
        Topics rec = TestTopics.unique("recording");
        TopicAdmin.ensureTopics(cluster.clients().common(), rec.specs(PARTITIONS), TopicAdmin.AUTO, Duration.ofSeconds(60));
        Map<String, List<Frame>> byStream = new HashMap<>();
        for (String s : STREAMS) {
            FrameIngestor.builder(cluster.clients(), rec).source(VIDEO.toString()).streamId(s).pace(Pace.max)
                    .maxFrames(FRAMES_PER_STREAM).size(160, 0).build().run();
        }
        for (var r : TestRecords.readAll(cluster.clients().consumer(null), rec.frames(), total(), Duration.ofSeconds(60))) {
            Frame f = Frame.parseFrom(r.value());
            byStream.computeIfAbsent(f.getStreamId(), k -> new ArrayList<>()).add(f);
        }
        for (int seq = 0; seq < FRAMES_PER_STREAM; seq++) {
            for (String s : STREAMS) {
                frames.add(byStream.get(s).get(seq));
            }
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        StringBuilder sb = new StringBuilder("cluster faults: time from kill -9 to the first output on the killed "
                + "instance's partitions (standby replicas " + STANDBY + ", " + RUNS + " run(s)), load average "
                + String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean().getSystemLoadAverage()) + "\n");
        failoverMs.forEach((what, ms) -> {
            List<Long> sorted = ms.stream().sorted().toList();
            sb.append(String.format(Locale.ROOT, "  %-48s n=%d p50=%d ms max=%d ms all=%s%n", what, sorted.size(),
                    sorted.get((sorted.size() - 1) / 2), sorted.get(sorted.size() - 1), ms));
        });
        System.out.print(sb);
        Files.writeString(Path.of("target", "cluster-fault-timings.txt"), sb.toString(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    @Order(1)
    void replayKillOneOfTwoSegmentStreamsLosesAndRepeatsNothing() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            Topics topics = topics("segkill");
            int standby = standby(run);
            Path cfg = clientConfig(topics, standby);
            try (Instance seg1 = segmentStream(topics, cfg, Mode.replay, "seg-1");
                 Instance seg2 = segmentStream(topics, cfg, Mode.replay, "seg-2");
                 Instance transfer = transferStream(topics, cfg, Mode.replay, "transfer-1");
                 Outputs out = new Outputs(cluster.clients(), topics)) {
                awaitSplit(topics.prefix() + "segment-stream", topics.frames(), seg1, seg2);
                CompletableFuture<Void> ingest = ingest(topics, true);
                out.segments.await(r -> out.segments.seen().size() >= total() / 4, PATIENCE);
                Set<Integer> victim = seg2.owned(topics.prefix() + "segment-stream", topics.frames());
                Set<Integer> victimPairs = seg2.owned(topics.prefix() + "segment-pairs", topics.frames());
                out.drain();
                long killed = kill(seg2);
                out.markKill();
                long firstSegment = out.awaitFirstAfter(out.segments, killed, victim);
                long firstPair = out.awaitFirstAfter(out.pairs, killed, victimPairs);
                record("replay: segment-stream killed -> segments (standby " + standby + ")", firstSegment - killed);
                record("replay: segment-stream killed -> pairs (standby " + standby + ")", firstPair - killed);
                ingest.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                out.awaitAll(total(), true);
                out.assertExactlyOnce(true);
                assertThat(seg1.jvm.alive()).as("survivor alive (log %s)", seg1.jvm.log()).isTrue();
            }
        }
    }

    @Test
    @Order(2)
    void replayKillOneOfTwoTransferStreamsLosesAndRepeatsNothing() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            Topics topics = topics("transferkill");
            Path cfg = clientConfig(topics, standby(0));
            try (Instance seg = segmentStream(topics, cfg, Mode.replay, "seg-1");
                 Instance t1 = transferStream(topics, cfg, Mode.replay, "transfer-1");
                 Instance t2 = transferStream(topics, cfg, Mode.replay, "transfer-2");
                 Outputs out = new Outputs(cluster.clients(), topics)) {
                awaitSplit(topics.prefix() + "transfer-stream", topics.segments(), t1, t2);
                CompletableFuture<Void> ingest = ingest(topics, true);
                out.rendered.await(r -> out.rendered.seen().size() >= total() / 3, PATIENCE);
                Set<Integer> victim = t2.owned(topics.prefix() + "transfer-stream", topics.segments());
                out.drain();
                long killed = kill(t2);
                out.markKill();
                record("replay: transfer-stream killed -> rendered", out.awaitFirstAfter(out.rendered, killed, victim) - killed);
                ingest.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                out.awaitAll(total(), true);
                out.assertExactlyOnce(true);
                assertThat(t1.jvm.alive()).as("survivor alive (log %s)", t1.jvm.log()).isTrue();
            }
        }
    }

    @Test
    @Order(3)
    void replayKillOneBrokerThenRestartItLosesAndRepeatsNothing() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            Topics topics = topics("brokerkill");
            Path cfg = clientConfig(topics, standby(0));
            try (Instance seg = segmentStream(topics, cfg, Mode.replay, "seg-1");
                 Instance transfer = transferStream(topics, cfg, Mode.replay, "transfer-1");
                 Outputs out = new Outputs(cluster.clients(), topics);
                 Admin admin = Admin.create(cluster.clients().common())) {
                seg.awaitOwning(topics.prefix() + "segment-stream", topics.frames(), PARTITIONS);
                CompletableFuture<Void> ingest = ingest(topics, true);
                out.rendered.await(r -> out.rendered.seen().size() >= total() / 4, PATIENCE);
                // the node that leads partition 0 of rendered: its partitions must move to the others
                List<TopicPartitionInfo> parts = admin.describeTopics(List.of(topics.rendered())).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topics.rendered()).partitions();
                int node = parts.get(0).leader().id();
                Set<Integer> led = new TreeSet<>();
                parts.stream().filter(p -> p.leader() != null && p.leader().id() == node).forEach(p -> led.add(p.partition()));
                out.drain();
                long t0 = System.nanoTime();
                cluster.kill(node);
                long killed = System.nanoTime();
                out.markKill();
                System.out.printf("broker kill: node %d (leader of rendered partitions %s) killed after %d renders%n",
                        node, led, out.rendered.seen().size());
                // outputs go on while it is away (min.insync.replicas=2 of 3), then it comes back
                record("replay: broker killed -> rendered on its partitions", out.awaitFirstAfter(out.rendered, killed, led) - killed);
                cluster.startNode(node);
                cluster.awaitBrokers(3, Duration.ofMinutes(2));
                long back = System.nanoTime();
                ingest.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                out.awaitAll(total(), true);
                System.out.printf("broker kill: node %d back after %d ms%n", node,
                        TimeUnit.NANOSECONDS.toMillis(back - t0));
                out.assertExactlyOnce(true);
                awaitFullIsr(admin, topics.frames(), Duration.ofMinutes(2));
            }
        }
    }

    @Test
    @Order(4)
    void liveKillOneOfTwoSegmentStreamsIsReported() throws Exception {
        Topics topics = topics("livekill");
        Path cfg = clientConfig(topics, standby(0));
        try (Instance seg1 = segmentStream(topics, cfg, Mode.live, "seg-1");
             Instance seg2 = segmentStream(topics, cfg, Mode.live, "seg-2");
             Instance transfer = transferStream(topics, cfg, Mode.live, "transfer-1");
             Outputs out = new Outputs(cluster.clients(), topics)) {
            awaitSplit(topics.prefix() + "segment-stream", topics.frames(), seg1, seg2);
            // frames keep coming for LIVE_ROUNDS times the recording, so the survivor has fresh frames
            // of the killed instance's streams after the failover (older ones are dropped as stale)
            CompletableFuture<Void> ingest = ingest(topics, false, LIVE_ROUNDS);
            // kill a few seconds into the flow (a count could take forever: live mode may drop frames)
            assertThat(out.segments.await(r -> true, PATIENCE)).as("a first live segment").isNotNull();
            out.segments.await(r -> false, Duration.ofSeconds(4));
            Set<Integer> victim = seg2.owned(topics.prefix() + "segment-stream", topics.frames());
            out.drain();
            long killed = kill(seg2);
            out.markKill();
            long firstAfter = out.awaitFirstAfter(out.segments, killed, victim);
            ingest.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            // live mode: wait until the outputs stop growing, not for a count
            out.awaitQuiet(Duration.ofSeconds(20));
            Map<String, Integer> segs = out.counts(out.segments, Outputs::segmentKey);
            Map<String, Integer> rend = out.counts(out.rendered, Outputs::renderedKey);
            double dropped = seg1.counter("segment", "dropped_stale") + transfer.counter("transfer", "dropped_stale");
            System.out.printf(Locale.ROOT, "live kill of one of two segment-stream instances: %d frames in; segments "
                            + "%d distinct, %d duplicated; rendered %d distinct, %d duplicated; missing from rendered %d, "
                            + "of which the survivors counted %.0f dropped as stale (the killed instance's counters died "
                            + "with it); first segment on its partitions %s ms after the kill%n",
                    LIVE_ROUNDS * total(), segs.size(), dups(segs), rend.size(), dups(rend),
                    LIVE_ROUNDS * total() - rend.size(), dropped,
                    firstAfter == Long.MAX_VALUE ? "never" : TimeUnit.NANOSECONDS.toMillis(firstAfter - killed));
            assertThat(firstAfter).as("the survivor took over the killed instance's partitions %s", victim)
                    .isLessThan(Long.MAX_VALUE);
            assertThat(segs.keySet()).as("segments are of ingested frames only").isSubsetOf(inputs(LIVE_ROUNDS));
            assertThat(rend.keySet()).as("renders are of segmented frames only").isSubsetOf(segs.keySet());
        }
    }

    // --- the pipeline ---

    private Topics topics(String name) throws Exception {
        Topics t = TestTopics.unique(name);
        TopicAdmin.ensureTopics(cluster.clients().common(), t.specs(PARTITIONS), TopicAdmin.AUTO, Duration.ofSeconds(60));
        try (Admin admin = Admin.create(cluster.clients().common())) {
            var d = admin.describeTopics(List.of(t.frames())).allTopicNames().get(30, TimeUnit.SECONDS).get(t.frames());
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).as("replicas").hasSize(3));
            var cfg = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t.frames()))).all().get(30, TimeUnit.SECONDS);
            assertThat(cfg.values().iterator().next().get("min.insync.replicas").value()).isEqualTo("2");
        }
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(cluster.clients().producer("cluster-it-model"))) {
            p.send(new ProducerRecord<>(t.models(), model.getName(), model.toByteArray())).get(30, TimeUnit.SECONDS);
        }
        return t;
    }

    private static int standby(int run) {
        return "alternate".equals(STANDBY) ? (run + 1) % 2 : Integer.parseInt(STANDBY);
    }

    /** Client config of every service: the cluster, and a failed member noticed after 6 s instead of 45 s. */
    private Path clientConfig(Topics topics, int standby) throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrapServers());
        p.put("session.timeout.ms", "6000");
        p.put("heartbeat.interval.ms", "1500");
        p.put("num.standby.replicas", Integer.toString(standby));
        Path f = dir.resolve(topics.prefix() + "client.properties");
        try (Writer w = Files.newBufferedWriter(f)) {
            p.store(w, "services under test");
        }
        return f;
    }

    private Instance segmentStream(Topics topics, Path cfg, Mode mode, String name) throws Exception {
        int port = FreePorts.pick();
        ChildJvm jvm = ChildJvm.start(dir.resolve(topics.prefix() + name + ".log"), SegmentStreamMain.class.getName(),
                "--kafka-config", cfg.toString(), "--topic-prefix", topics.prefix(), "--mode", mode.name(),
                "--max-frame-age", Long.toString(LIVE_BUDGET.toMillis()),
                "--variant", "lite", "--inference-threads", "1", "--metrics-port", Integer.toString(port),
                "--state-dir", dir.resolve(topics.prefix() + name + "-state").toString());
        return Instance.awaitUp(jvm, port);
    }

    private Instance transferStream(Topics topics, Path cfg, Mode mode, String name) throws Exception {
        int port = FreePorts.pick();
        ChildJvm jvm = ChildJvm.start(dir.resolve(topics.prefix() + name + ".log"), TransferStreamMain.class.getName(),
                "--kafka-config", cfg.toString(), "--topic-prefix", topics.prefix(), "--mode", mode.name(),
                "--no-model-probe", "--budget-ms", Long.toString(LIVE_BUDGET.toMillis()),
                "--metrics-port", Integer.toString(port));
        return Instance.awaitUp(jvm, port);
    }

    /**
     * Sends the recorded frames to this case's topic, {@link #FPS} per stream, each stamped with
     * the time it is sent (live mode judges staleness by capture time); marked as training frames
     * when {@code train}.
     */
    private CompletableFuture<Void> ingest(Topics topics, boolean train) {
        return ingest(topics, train, 1);
    }

    /** {@link #ingest(Topics, boolean)} with the recording played {@code rounds} times (seq goes on). */
    private CompletableFuture<Void> ingest(Topics topics, boolean train, int rounds) {
        KafkaClients clients = cluster.clients();
        return CompletableFuture.runAsync(() -> {
            long gapNanos = (long) (1e9 / (FPS * STREAMS.size()));
            long next = System.nanoTime();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.producer("cluster-it-feed"))) {
                for (int round = 0; round < rounds; round++) {
                    for (Frame f : frames) {
                        while (System.nanoTime() < next) {
                            Thread.sleep(1);
                        }
                        next += gapNanos;
                        long now = Timings.nowMicros();
                        Frame sent = f.toBuilder().setCaptureTimeUs(now)
                                .setSeq(f.getSeq() + (long) round * FRAMES_PER_STREAM).build();
                        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), null, now / 1000,
                                f.getStreamId(), sent.toByteArray());
                        if (train) {
                            r.headers().add(TrainingStreams.HEADER, "1".getBytes(StandardCharsets.UTF_8));
                        }
                        p.send(r).get(30, TimeUnit.SECONDS);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("feeding frames failed: " + e, e);
            }
        });
    }

    /** Both instances own some of the app's partitions of {@code topic}, none twice, all between them. */
    private static void awaitSplit(String app, String topic, Instance a, Instance b) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Set<Integer> pa = Set.of();
        Set<Integer> pb = Set.of();
        while (System.nanoTime() < deadline) {
            pa = a.owned(app, topic);
            pb = b.owned(app, topic);
            Set<Integer> union = new HashSet<>(pa);
            union.addAll(pb);
            if (!pa.isEmpty() && !pb.isEmpty() && union.size() == PARTITIONS && pa.size() + pb.size() == PARTITIONS) {
                System.out.printf("%s: instances split %s as %s and %s%n", app, topic, pa, pb);
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(app + ": two instances did not split the " + PARTITIONS + " partitions of " + topic
                + " (" + pa + " and " + pb + "; logs " + a.jvm.log() + ", " + b.jvm.log() + ")");
    }

    private static long kill(Instance victim) throws InterruptedException {
        long t = System.nanoTime();
        victim.jvm.kill();
        return t;
    }

    private void record(String what, long nanos) {
        assertThat(nanos).as(what + ": an output after the kill").isLessThan(Long.MAX_VALUE / 2);
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        failoverMs.computeIfAbsent(what, k -> new ArrayList<>()).add(ms);
        System.out.printf("%s: first output %d ms after the kill%n", what, ms);
    }

    private static void awaitFullIsr(Admin admin, String topic, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        List<TopicPartitionInfo> parts = List.of();
        while (System.nanoTime() < deadline) {
            parts = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions();
            if (parts.stream().allMatch(p -> p.isr().size() == 3)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the restarted broker did not rejoin every ISR of " + topic + ": " + parts);
    }

    private static int total() {
        return STREAMS.size() * FRAMES_PER_STREAM;
    }

    private static Set<String> inputs() {
        return inputs(1);
    }

    private static Set<String> inputs(int rounds) {
        Set<String> in = new HashSet<>();
        for (String s : STREAMS) {
            for (int seq = 0; seq < rounds * FRAMES_PER_STREAM; seq++) {
                in.add(s + "/" + seq);
            }
        }
        return in;
    }

    private static long dups(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1).sum();
    }

    /** A service in its own JVM with its /metrics port. */
    record Instance(ChildJvm jvm, int port) implements AutoCloseable {

        private static final Pattern OWNED = Pattern.compile("^dance_partition_owned\\{([^}]*)\\} 1\\.0$", Pattern.MULTILINE);

        static Instance awaitUp(ChildJvm jvm, int port) throws Exception {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                assertThat(jvm.alive()).as("service running (log %s)", jvm.log()).isTrue();
                try {
                    if (Http.get(port, "/health").startsWith("UP")) {
                        return new Instance(jvm, port);
                    }
                } catch (IOException starting) {
                    // not serving yet
                }
                assertThat(System.nanoTime()).as("/health UP within %s (log %s)", PATIENCE, jvm.log()).isLessThan(deadline);
                Thread.sleep(500);
            }
        }

        /** Partitions of {@code topic} the app {@code app} of this instance owns as active tasks, from /metrics. */
        Set<Integer> owned(String app, String topic) throws Exception {
            Set<Integer> out = new TreeSet<>();
            Matcher m = OWNED.matcher(Http.get(port, "/metrics"));
            while (m.find()) {
                String tags = m.group(1);
                if (tags.contains("app=\"" + app + "\"") && tags.contains("role=\"active\"")
                        && tags.contains("topic=\"" + topic + "\"")) {
                    Matcher p = Pattern.compile("partition=\"(\\d+)\"").matcher(tags);
                    if (p.find()) {
                        out.add(Integer.parseInt(p.group(1)));
                    }
                }
            }
            return out;
        }

        void awaitOwning(String app, String topic, int n) throws Exception {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (owned(app, topic).size() < n) {
                assertThat(System.nanoTime()).as("%s owns %d partitions of %s (log %s)", app, n, topic, jvm.log())
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
        }

        /** {@code dance_frames_total{stage, outcome}} of this instance. */
        double counter(String stage, String outcome) throws Exception {
            return Http.get(port, "/metrics").lines()
                    .filter(l -> l.startsWith("dance_frames_total{") && l.contains("stage=\"" + stage + "\"")
                            && l.contains("outcome=\"" + outcome + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }

        @Override
        public void close() throws InterruptedException {
            jvm.close();
        }
    }

    /** Committed records on segments, pairs and rendered since the start. */
    static final class Outputs implements AutoCloseable {
        final Tail segments;
        final Tail pairs;
        final Tail rendered;

        Outputs(KafkaClients clients, Topics topics) {
            segments = new Tail(new TopicTail(clients.consumer(null), topics.segments()));
            pairs = new Tail(new TopicTail(clients.consumer(null), topics.pairs()));
            rendered = new Tail(new TopicTail(clients.consumer(null), topics.rendered()));
        }

        /** Until every output topic holds {@code n} distinct frames (then 3 s more, for any duplicate). */
        void awaitAll(int n, boolean withPairs) {
            segments.await(r -> counts(segments, Outputs::segmentKey).size() >= n, PATIENCE);
            if (withPairs) {
                pairs.await(r -> counts(pairs, Outputs::pairKey).size() >= n, PATIENCE);
            }
            rendered.await(r -> counts(rendered, Outputs::renderedKey).size() >= n, PATIENCE);
            segments.await(r -> false, Duration.ofSeconds(3));
            pairs.await(r -> false, Duration.ofMillis(500));
            rendered.await(r -> false, Duration.ofMillis(500));
        }

        /** Polls every tail (so arrival times stay accurate) until {@code t} has a record on {@code parts} after {@code at}. */
        long awaitFirstAfter(Tail t, long at, Set<Integer> parts) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (t.firstAfter(at, parts) == Long.MAX_VALUE && System.nanoTime() < deadline) {
                pollAll();
            }
            return t.firstAfter(at, parts);
        }

        /** Right after a kill: what each output topic held then was written before it. */
        void markKill() {
            segments.markKill();
            pairs.markKill();
            rendered.markKill();
        }

        void pollAll() {
            segments.tail.poll(Duration.ofMillis(30));
            pairs.tail.poll(Duration.ofMillis(30));
            rendered.tail.poll(Duration.ofMillis(30));
        }

        /** Reads what is committed now, so nothing from before a kill is taken for an output after it. */
        void drain() {
            for (int i = 0; i < 5; i++) {
                pollAll();
            }
        }

        void awaitQuiet(Duration quiet) {
            int before;
            do {
                before = segments.seen().size() + rendered.seen().size();
                segments.await(r -> false, quiet.dividedBy(2));
                rendered.await(r -> false, quiet.dividedBy(2));
            } while (segments.seen().size() + rendered.seen().size() > before);
        }

        void assertExactlyOnce(boolean withPairs) {
            Set<String> in = inputs();
            Map<String, Integer> s = counts(segments, Outputs::segmentKey);
            Map<String, Integer> p = counts(pairs, Outputs::pairKey);
            Map<String, Integer> r = counts(rendered, Outputs::renderedKey);
            System.out.printf("outputs: %d frames in; segments %d records (%d distinct), pairs %d (%d), rendered %d (%d)%n",
                    in.size(), segments.seen().size(), s.size(), pairs.seen().size(), p.size(), rendered.seen().size(),
                    r.size());
            assertThat(s.keySet()).as("every frame segmented").isEqualTo(in);
            assertThat(s).as("no frame segmented twice").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            if (withPairs) {
                assertThat(p.keySet()).as("every frame paired").isEqualTo(in);
                assertThat(p).as("no pair twice").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            }
            assertThat(r.keySet()).as("every frame rendered").isEqualTo(in);
            assertThat(r).as("no frame rendered twice").allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
        }

        Map<String, Integer> counts(Tail t, java.util.function.Function<byte[], String> key) {
            Map<String, Integer> n = new HashMap<>();
            for (var r : t.seen()) {
                n.merge(key.apply(r.value()), 1, Integer::sum);
            }
            return n;
        }

        static String segmentKey(byte[] v) {
            try {
                Segmentation s = Segmentation.parseFrom(v);
                return s.getStreamId() + "/" + s.getSeq();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }

        static String pairKey(byte[] v) {
            try {
                TrainingPair s = TrainingPair.parseFrom(v);
                return s.getStreamId() + "/" + s.getSeq();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }

        static String renderedKey(byte[] v) {
            try {
                Rendered s = Rendered.parseFrom(v);
                return s.getStreamId() + "/" + s.getSeq();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            segments.tail.close();
            pairs.tail.close();
            rendered.tail.close();
        }
    }

    /** A {@link TopicTail} that also answers when an output first came on some partitions after a kill. */
    static final class Tail {
        final TopicTail tail;
        /** End offsets right after the kill: records below them were written before it. */
        private Map<Integer, Long> atKill = Map.of();

        Tail(TopicTail tail) {
            this.tail = tail;
        }

        List<ConsumerRecord<String, byte[]>> seen() {
            return tail.seen();
        }

        ConsumerRecord<String, byte[]> await(java.util.function.Predicate<ConsumerRecord<String, byte[]>> m, Duration d) {
            return tail.await(m, d);
        }

        void markKill() {
            atKill = tail.endOffsets();
        }

        /**
         * Arrival (nanoTime) of the first record on one of {@code partitions} written after the kill
         * (offset at or past the end offset taken right after it) and polled after {@code t}, or MAX_VALUE.
         */
        long firstAfter(long t, Set<Integer> partitions) {
            long first = Long.MAX_VALUE;
            for (int i = 0; i < tail.seen().size(); i++) {
                long at = tail.arrival(i);
                ConsumerRecord<String, byte[]> r = tail.seen().get(i);
                if (at > t && partitions.contains(r.partition()) && r.offset() >= atKill.getOrDefault(r.partition(), 0L)) {
                    first = Math.min(first, at);
                }
            }
            return first;
        }
    }
}
