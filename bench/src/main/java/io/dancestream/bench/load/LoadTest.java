package io.dancestream.bench.load;

import io.dancestream.common.metrics.Percentiles;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.StreamIds;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.Timings;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.source.Pace;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sustained load on the whole live pipeline in one JVM: N streams of a looped video at its own
 * frame rate (realtime pace) → segment-stream (live, real BlazePose) → transfer-stream (live) →
 * a sink consumer on dance.rendered, on an embedded broker. Per interval it records the sink's
 * frame age (p50/p99, capture → consumed) and the heap after the last GC; at the end it stops
 * ingest, lets the pipeline drain and reconciles the counters: every ingested frame is rendered,
 * dropped as stale (by stage) or failed.
 */
public final class LoadTest {

    private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);

    /**
     * @param budget live frame-age budget of segment-stream and transfer-stream (both default to 500 ms)
     * @param instances instances of each streams app, one consumer group per app: they split the
     *                  partitions (all in this JVM, each with its own segmenter and state dir)
     */
    public record Settings(int streams, Duration duration, Duration interval, int width, String source,
                           SegmenterConfig.Variant variant, Duration budget, int instances) {
        public Settings(int streams, Duration duration, Duration interval, int width, String source,
                        SegmenterConfig.Variant variant, Duration budget) {
            this(streams, duration, interval, width, source, variant, budget, 1);
        }
    }

    public record Interval(int index, long ingested, long rendered, int samples, double p50Ms, double p99Ms,
                           double heapAfterGcMb) {
    }

    /** Counter totals at the end; {@code reconciled} when every ingested frame is accounted for. */
    public record Totals(long ingested, long segmented, long segmentStale, long segmentFailed, long rendered,
                         long transferStale, long transferFailed, long sinkReceived) {
        public boolean reconciled() {
            return ingested == segmented + segmentStale + segmentFailed
                    && segmented == rendered + transferStale + transferFailed
                    && rendered == sinkReceived;
        }
    }

    public record Result(Settings settings, List<Interval> intervals, Totals totals) {
    }

    private LoadTest() {
    }

    /** On an embedded broker, topics prefixed {@code load.}. */
    public static Result run(Settings s) throws InterruptedException {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            return run(s, broker.clients(), new Topics("load."));
        }
    }

    /** On the given broker and topics. */
    public static Result run(Settings s, KafkaClients clients, Topics topics) throws InterruptedException {
        MeterRegistry ingestReg = new SimpleMeterRegistry();
        MeterRegistry segmentReg = new SimpleMeterRegistry();
        MeterRegistry transferReg = new SimpleMeterRegistry();
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(30));
        // every instance counts into the same registry: the totals are the app's, over its instances
        List<AutoCloseable> apps = new ArrayList<>();
        try (Sink sink = new Sink(clients, topics.rendered())) {
            List<SegmentStreamApp> segments = new ArrayList<>();
            List<TransferStreamApp> transfers = new ArrayList<>();
            for (int i = 0; i < s.instances(); i++) {
                Segmenter segmenter = Segmenter.create(SegmenterConfig.defaults().withVariant(s.variant()));
                apps.add(segmenter);
                SegmentStreamApp segment = SegmentStreamApp.start(clients,
                        SegmentStreamConfig.defaults(topics).withMaxFrameAge(s.budget()),
                        segmenter, new MaskQuantizer(QuantizerFit.palette(), true), null, new DanceMetrics(segmentReg),
                        SegmentStreamApp.Options.defaults().withPairs(false).withStateDir(stateDir("segment", i)));
                apps.add(segment);
                segments.add(segment);
                TransferStreamApp transfer = TransferStreamApp.start(clients,
                        TransferSettings.defaults(topics).withMode(io.dancestream.common.config.Mode.live, s.budget()),
                        new DanceMetrics(transferReg));
                apps.add(transfer);
                transfers.add(transfer);
            }
            for (int i = 0; i < s.instances(); i++) {
                if (!segments.get(i).awaitRunning(Duration.ofMinutes(2))
                        || !transfers.get(i).awaitRunning(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the pipeline did not start within 2 minutes");
                }
            }
            List<FrameIngestor> ingestors = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            DanceMetrics ingestMetrics = new DanceMetrics(ingestReg);
            // one stream per partition in turn, so instances sharing the partitions get equal work
            List<String> ids = StreamIds.spread("load-", s.streams(), Topics.DEFAULT_PARTITIONS);
            for (int i = 0; i < s.streams(); i++) {
                FrameIngestor in = FrameIngestor.builder(clients, topics).source(s.source()).streamId(ids.get(i))
                        .pace(Pace.realtime).loop(true).size(s.width(), 0).metrics(ingestMetrics).build();
                ingestors.add(in);
                Thread t = new Thread(in::run, "load-ingest-" + i);
                threads.add(t);
                t.start();
            }
            List<Interval> intervals = new ArrayList<>();
            long end = System.nanoTime() + s.duration().toNanos();
            int index = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(s.interval().toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                List<Long> ages = sink.drainAges();
                Interval iv = new Interval(++index, count(ingestReg, "ingest", "processed"),
                        count(transferReg, "transfer", "processed"), ages.size(),
                        Percentiles.of(ages, 0.50) / 1000.0, Percentiles.of(ages, 0.99) / 1000.0,
                        heapAfterGcMb());
                intervals.add(iv);
                LOG.info("load interval {}: ingested {}, rendered {}, age p50 {} ms p99 {} ms, heap after GC {} MB",
                        iv.index(), iv.ingested(), iv.rendered(), fmt(iv.p50Ms()), fmt(iv.p99Ms()),
                        fmt(iv.heapAfterGcMb()));
            }
            ingestors.forEach(FrameIngestor::stop);
            for (Thread t : threads) {
                t.join(30_000);
            }
            // drain: wait until the counters stop moving and add up
            Totals totals = totals(ingestReg, segmentReg, transferReg, sink);
            long drainEnd = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!totals.reconciled() && System.nanoTime() < drainEnd) {
                Thread.sleep(500);
                totals = totals(ingestReg, segmentReg, transferReg, sink);
            }
            return new Result(s, intervals, totals);
        } finally {
            // apps before their segmenters: close in reverse order of start
            for (int i = apps.size() - 1; i >= 0; i--) {
                try {
                    apps.get(i).close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", apps.get(i), e.toString());
                }
            }
        }
    }

    private static String stateDir(String app, int instance) {
        try {
            return java.nio.file.Files.createTempDirectory("load-" + app + "-" + instance + "-").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Totals totals(MeterRegistry in, MeterRegistry seg, MeterRegistry tr, Sink sink) {
        return new Totals(count(in, "ingest", "processed"), count(seg, "segment", "processed"),
                count(seg, "segment", "dropped_stale"), count(seg, "segment", "failed"),
                count(tr, "transfer", "processed"), count(tr, "transfer", "dropped_stale"),
                count(tr, "transfer", "failed"), sink.received());
    }

    private static long count(MeterRegistry r, String stage, String outcome) {
        var c = r.find("dance.frames").tags("stage", stage, "outcome", outcome).counter();
        return c == null ? 0 : Math.round(c.count());
    }

    /**
     * Heap in use right after a full collection (what a leak makes grow). One explicit GC per
     * interval: G1's per-pool collection usage is not updated by young collections, so it
     * cannot be read passively.
     */
    static double heapAfterGcMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Markdown: settings, machine, one row per interval, the reconciliation. */
    public static String markdown(Result r, String machine) {
        Settings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### dance load-test: %d streams × source fps, %d s, width %d, BlazePose %s, "
                        + "budget %d ms, %d instance(s) of each streams app%n%n", s.streams(), s.duration().toSeconds(),
                s.width(), s.variant().name().toLowerCase(Locale.ROOT), s.budget().toMillis(), s.instances()));
        sb.append(machine).append("\n\n");
        sb.append("| interval | ingested (total) | rendered (total) | renders in interval | age p50 ms | age p99 ms "
                + "| heap after GC MB |\n|---|---|---|---|---|---|---|\n");
        for (Interval iv : r.intervals()) {
            sb.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %s | %s | %s |%n", iv.index(), iv.ingested(),
                    iv.rendered(), iv.samples(), fmt(iv.p50Ms()), fmt(iv.p99Ms()), fmt(iv.heapAfterGcMb())));
        }
        Totals t = r.totals();
        sb.append(String.format(Locale.ROOT, "%ningested %d = segmented %d + dropped stale at segment %d + failed at "
                        + "segment %d; segmented %d = rendered %d + dropped stale at transfer %d + failed at transfer %d; "
                        + "sink received %d: %s%n", t.ingested(), t.segmented(), t.segmentStale(), t.segmentFailed(),
                t.segmented(), t.rendered(), t.transferStale(), t.transferFailed(), t.sinkReceived(),
                t.reconciled() ? "**reconciled exactly**" : "**NOT reconciled**"));
        sb.append(String.format(Locale.ROOT, "throughput over the run: ingested %.1f fps, segmented %.1f fps, rendered "
                        + "%.1f fps%n", t.ingested() / (double) s.duration().toSeconds(),
                t.segmented() / (double) s.duration().toSeconds(), t.rendered() / (double) s.duration().toSeconds()));
        return sb.toString();
    }

    /** Reads dance.rendered from its end and records each frame's age when it arrives. */
    private static final class Sink implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Long> ages = new ArrayList<>();
        private long received;

        Sink(KafkaClients clients, String topic) {
            consumer = new KafkaConsumer<>(clients.consumer(null));
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            thread = new Thread(this::loop, "load-sink");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (!stop.get()) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        long age = Timings.nowMicros() - Rendered.parseFrom(r.value()).getCaptureTimeUs();
                        synchronized (this) {
                            ages.add(age);
                            received++;
                        }
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        LOG.warn("sink: unreadable render at offset {}", r.offset());
                    }
                }
            }
        }

        synchronized List<Long> drainAges() {
            List<Long> out = new ArrayList<>(ages);
            ages.clear();
            return out;
        }

        synchronized long received() {
            return received;
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
