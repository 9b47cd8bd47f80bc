package io.dancestream.bench.segment;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.dancestream.common.metrics.Percentiles;
import io.dancestream.common.config.Mode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.io.VideoFrames;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.metrics.ProcessCost;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import io.dancestream.segmentstream.pose.SegmentationResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.segmentstream.stream.TrainingStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@code dance bench segment-stream} (alias {@code dance segment-stream --benchmark}): the same frames through the bare segmenter loop
 * (decode JPEG → segment → encode PNG) and through Kafka (produce → live app → segments
 * consumer), in one run; reports both rates, their ratio, and the age of segments (read
 * uncommitted) and of pairs (read_committed, after the exactly_once_v2 commit) at arrival.
 * A cold round comes first (the JVM's first Kafka work; printed, not counted), then
 * {@code --rounds} rounds, each Kafka run between two bare runs ({@link BracketedRatios}).
 * With {@code --bench-streams N} the frames are split into N streams on distinct partitions and
 * the bare loop runs one thread per stream, so "N stream threads" and "one stream thread with N
 * TensorFlow threads" can be compared on the same frames.
 */
final class SegmentStreamBenchmark {

    /** {@code seq = 2} (varint) in Segmentation and TrainingPair alike. */
    private static final int SEQ_TAG = Segmentation.SEQ_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;

    private final SegmentStreamBenchCommand cmd;

    SegmentStreamBenchmark(SegmentStreamBenchCommand cmd) {
        this.cmd = cmd;
    }

    int run() throws Exception {
        List<byte[]> jpegs = VideoFrames.jpegs(cmd.video, cmd.frames);
        int n = jpegs.size();
        int w;
        int h;
        try (Mat m = ImageCodec.decodeColor(jpegs.get(0))) {
            w = m.cols();
            h = m.rows();
        }
        System.out.printf(Locale.ROOT, "%d frames %dx%d of %s; %d cores; load average %.1f%n", n, w, h, cmd.video,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (Segmenter seg = Segmenter.create(cmd.segmenterConfig())) {
            // warm-up: TensorFlow's first runs allocate and optimise
            for (int i = 0; i < Math.min(10, n); i++) {
                try (Mat m = ImageCodec.decodeColor(jpegs.get(i))) {
                    seg.segment("warmup", m).classMap().close();
                }
            }
            List<String> streams = streamIds(cmd.benchStreams, Topics.DEFAULT_PARTITIONS);
            // an embedded KRaft broker in this JVM: the comparison includes the broker's own CPU
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
                // the cold round: the JVM's first Kafka work (class loading, JIT of broker, client and
                // Streams code), which the bare loop's warm-up has no counterpart of; printed, not counted
                System.out.println("-- cold round (the JVM's first Kafka work: printed, not in the median)");
                double before = bareRate(seg, jpegs, streams.size(), "bare-cold-");
                streams.forEach(seg::forget);
                double kafka = throughKafka(broker.clients(), seg, jpegs, w, h);
                double after = bareRate(seg, jpegs, streams.size(), "bare-0-");
                System.out.printf(Locale.ROOT, "cold round ratio Kafka / bare: %.2f%n",
                        BracketedRatios.ratio(before, kafka, after));
                double[] ratios = new double[Math.max(1, cmd.rounds)];
                for (int round = 0; round < ratios.length; round++) {
                    System.out.printf(Locale.ROOT, "-- round %d of %d%n", round + 1, ratios.length);
                    before = after; // each bare run closes one round and opens the next
                    streams.forEach(seg::forget); // every round's stream starts with the detector, as the first did
                    kafka = throughKafka(broker.clients(), seg, jpegs, w, h);
                    after = bareRate(seg, jpegs, streams.size(), "bare-" + (round + 1) + "-");
                    ratios[round] = BracketedRatios.ratio(before, kafka, after);
                    System.out.printf(Locale.ROOT, "round ratio Kafka / bare: %.2f (bare %.2f before, %.2f after)%n",
                            ratios[round], before, after);
                }
                double[] sorted = ratios.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "ratio Kafka / bare: %.2f (%s of %d rounds, each against the bare runs "
                                + "before and after it, %.2f .. %.2f)%n", Percentiles.of(ratios, 0.5),
                        BracketedRatios.medianLabel(ratios.length), ratios.length, sorted[0], sorted[sorted.length - 1]);
            }
        }
        return 0;
    }

    /** The bare segmenter loop over every frame, {@code streams} threads, each its own stream. */
    private static double bareRate(Segmenter seg, List<byte[]> jpegs, int streams, String prefix) throws Exception {
        int n = jpegs.size();
        ProcessCost bareStart = ProcessCost.now();
        long t0 = System.nanoTime();
        List<Thread> loops = new ArrayList<>();
        for (int k = 0; k < streams; k++) {
            int from = k * n / streams;
            int to = (k + 1) * n / streams;
            String stream = prefix + k;
            Thread t = new Thread(() -> bareLoop(seg, stream, jpegs.subList(from, to)), "bare-" + k);
            t.start();
            loops.add(t);
        }
        for (Thread t : loops) {
            t.join();
        }
        double bare = n / ((System.nanoTime() - t0) / 1e9);
        ProcessCost bareCost = ProcessCost.now().since(bareStart);
        System.out.printf(Locale.ROOT, "bare segmenter loop: %.2f frames/s (%s, %d streams in %d threads, %d inference"
                + " threads each)%n", bare, seg.modelId(), streams, streams, seg.config().threads());
        System.out.println("  " + bareCost.perFrame(n));
        return bare;
    }

    private static void bareLoop(Segmenter seg, String stream, List<byte[]> jpegs) {
        for (byte[] j : jpegs) {
            try (Mat m = ImageCodec.decodeColor(j)) {
                SegmentationResult r = seg.segment(stream, m);
                try (Mat map = r.classMap()) {
                    ImageCodec.encodeLabelPng(map);
                }
            }
        }
    }

    /** {@code count} stream ids whose keys land on distinct partitions of a {@code partitions}-partition topic. */
    static List<String> streamIds(int count, int partitions) {
        if (count < 1 || count > partitions) {
            throw new IllegalArgumentException("--bench-streams must be 1.." + partitions + ", not " + count);
        }
        List<String> ids = new ArrayList<>();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = "bench-" + i;
            int partition = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (used.add(partition)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private double throughKafka(KafkaClients clients, Segmenter seg, List<byte[]> jpegs, int w, int h)
            throws Exception {
        int n = jpegs.size();
        Topics topics = new Topics("bench" + System.currentTimeMillis() + ".");
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(30));
        DanceMetrics metrics = new DanceMetrics(new SimpleMeterRegistry());
        SegmentStreamConfig cfg = SegmentStreamConfig.defaults(topics).withMode(Mode.replay);
        java.nio.file.Path state = Files.createTempDirectory("segment-bench");
        SegmentStreamApp.Options opts = cmd.apps.options(cmd.streamThreads, state.toString());
        List<Long> segAges = Collections.synchronizedList(new ArrayList<>());
        List<Long> pairAges = Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastSegment = new AtomicLong();
        try (SegmentStreamApp app = SegmentStreamApp.start(clients, cfg, seg,
                new MaskQuantizer(QuantizerFit.palette(), true), null, metrics, opts)) {
            if (!app.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("apps did not reach RUNNING");
            }
            Thread segReader = reader(clients, topics.segments(), "read_uncommitted", n, segAges, lastSegment);
            Thread pairReader = reader(clients, topics.pairs(), "read_committed", cmd.apps.pairs() ? n : 0, pairAges,
                    new AtomicLong());
            List<String> streams = streamIds(cmd.benchStreams, Topics.DEFAULT_PARTITIONS);
            ProcessCost cost;
            long t0;
            long t0Us;
            // the producer (as a camera's ingest would be) is connected before the clock starts
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.producer("segment-bench"))) {
                p.partitionsFor(topics.frames());
                Thread.sleep(3000); // let the readers join their partitions
                ProcessCost kafkaStart = ProcessCost.now();
                t0 = System.nanoTime();
                t0Us = Timings.nowMicros();
                for (int i = 0; i < n; i++) {
                    // consecutive runs per stream; seq stays the frame index so readers can tell frames apart
                    String stream = streams.get(i * streams.size() / n);
                    Frame f = Frame.newBuilder().setStreamId(stream).setSeq(i).setCaptureTimeUs(Timings.nowMicros())
                            .setWidth(w).setHeight(h).setJpeg(ByteString.copyFrom(jpegs.get(i)))
                            .setSource("file:" + cmd.video).build();
                    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.frames(), null,
                            f.getCaptureTimeUs() / 1000, stream, f.toByteArray());
                    if (cmd.apps.pairs()) { // a training stream: the pairs app joins every frame
                        r.headers().add(TrainingStreams.HEADER, "1".getBytes(StandardCharsets.UTF_8));
                    }
                    p.send(r);
                }
                segReader.join(Duration.ofMinutes(10).toMillis());
                cost = ProcessCost.now().since(kafkaStart);
            }
            pairReader.join(Duration.ofMinutes(2).toMillis());
            double rate = segAges.size() / ((lastSegment.get() - t0) / 1e9);
            System.out.printf(Locale.ROOT, "through Kafka (produce -> segment-stream -> consumer): %d segments, %.2f frames/s%n",
                    segAges.size(), rate);
            System.out.println("  " + cost.perFrame(n) + " (broker, both apps and the readers included)");
            steadyState(segAges, t0Us);
            System.out.printf(Locale.ROOT, "pairs (read_committed, pairs commit.interval.ms=%d): %d; segment-to-pair extra age median %s ms%n",
                    cmd.apps.pairsCommitMs(), pairAges.size(), medianDiff(pairAges, segAges));
            return rate;
        }
    }

    /**
     * Where the through-Kafka time goes: the wait for the first segment (fetch, first TF run of the
     * stream's detector) and the rate once flowing (from the 10th segment), which is what a long-running
     * service sees.
     */
    private static void steadyState(List<Long> arrivalsUs, long t0Us) {
        long[] a;
        synchronized (arrivalsUs) {
            a = arrivalsUs.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        int k = Math.min(10, a.length / 10);
        if (a.length - 1 <= k) {
            return;
        }
        System.out.printf(Locale.ROOT, "  first segment after %.0f ms; from the %dth segment on: %.2f frames/s%n",
                (a[0] - t0Us) / 1e3, k, (a.length - 1 - k) / ((a[a.length - 1] - a[k]) / 1e6));
    }

    private static String medianDiff(List<Long> pairs, List<Long> segs) {
        if (pairs.isEmpty() || segs.isEmpty()) {
            return "n/a";
        }
        List<Long> d = new ArrayList<>();
        synchronized (pairs) {
            synchronized (segs) {
                for (int i = 0; i < Math.min(pairs.size(), segs.size()); i++) {
                    d.add(pairs.get(i) - segs.get(i));
                }
            }
        }
        return String.format(Locale.ROOT, "%.1f", Percentiles.of(d, 0.5) / 1000.0);
    }

    /** Reads {@code n} records; records each one's arrival time (µs) in seq order. */
    private static Thread reader(KafkaClients clients, String topic, String isolation, int n, List<Long> arrivals,
                                 AtomicLong last) {
        Thread t = new Thread(() -> {
            Properties p = clients.consumer(null);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
                c.assign(c.partitionsFor(topic).stream()
                        .map(pi -> new org.apache.kafka.common.TopicPartition(topic, pi.partition())).toList());
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                long[] bySeq = new long[n];
                int got = 0;
                while (got < n && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        long seq = seqOf(r.value());
                        if (seq >= 0 && seq < n && bySeq[(int) seq] == 0) {
                            bySeq[(int) seq] = Timings.nowMicros();
                            got++;
                            last.set(System.nanoTime());
                        }
                    }
                }
                for (long a : bySeq) {
                    if (a != 0) {
                        arrivals.add(a);
                    }
                }
            }
        }, "bench-reader-" + topic);
        t.start();
        return t;
    }

    /**
     * Field 2 ({@code seq} of both Segmentation and TrainingPair) read without parsing the record:
     * a full parse copies the frame and class map, and the readers share the cores being measured;
     * -1 for bytes that are not a record.
     */
    static long seqOf(byte[] v) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(v);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == SEQ_TAG) {
                    return in.readInt64();
                }
                in.skipField(tag);
            }
            return 0; // proto3 leaves a zero seq off the wire
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
