package io.dancestream.cli.reliability;

import io.dancestream.cli.reliability.BadInputCorpus.Case;
import io.dancestream.cli.reliability.BadInputCorpus.SegmentOutcome;
import io.dancestream.cli.reliability.BadInputCorpus.Target;
import io.dancestream.cli.reliability.BadInputCorpus.TransferOutcome;
import io.dancestream.cli.reliability.BadInputCorpus.ViewerOutcome;
import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import io.dancestream.viewer.Panel;
import io.dancestream.viewer.PanelImage;
import io.dancestream.viewer.Viewer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The in-process pipeline the corpus runs against: segment-stream (replay mode, real BlazePose,
 * pairs app off), transfer-stream (replay mode, a real tiny generator in service) and the viewer, each with its own service runtime and meters, on one
 * topic prefix. {@link #feed} sends one case to partition 0 of its topic followed by a good
 * sentinel record, so once the sentinel has come through, the case has been handled.
 */
final class CorpusPipeline implements AutoCloseable {

    static final String DLQ_SOURCE_TOPIC = "dance.dlq.source.topic";
    static final String DLQ_SOURCE_OFFSET = "dance.dlq.source.offset";
    static final String DLQ_ERROR = "dance.dlq.error.message";
    static final String DLQ_STAGE = "dance.dlq.stage";
    static final Duration CASE_TIMEOUT = Duration.ofSeconds(45);

    /** What happened to one case. */
    record Observed(Case c, SegmentOutcome segment, TransferOutcome transfer, ViewerOutcome viewer, String reason,
                    double segmentFailed, double transferFailed, double modelsRejected, double viewerFailed,
                    boolean segmentAlive, boolean transferAlive, boolean viewerAlive) {
    }

    final Topics topics;
    final ServiceRuntime segmentRt;
    final Segmenter segmenter;
    final SegmentStreamApp segment;
    final ServiceRuntime transferRt;
    final ServiceRuntime viewerRt;
    final TransferStreamApp transfer;
    final Viewer viewer;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicTail tail;
    private long sentinelSeq;

    CorpusPipeline(KafkaClients clients, Topics topics, ModelVersion model) throws Exception {
        this.topics = topics;
        this.segmentRt = ServiceRuntime.start("segment-stream", clients, topics, "127.0.0.1", 0);
        this.segmenter = Segmenter.create(SegmenterConfig.defaults().withThreads(2));
        this.segment = SegmentStreamApp.start(clients, SegmentStreamConfig.defaults(topics).withMode(Mode.replay),
                segmenter, new MaskQuantizer(QuantizerFit.palette(), true), null, segmentRt.metrics(),
                SegmentStreamApp.Options.defaults().withPairs(false));
        segment.streams().forEach(segmentRt::bind);
        this.transferRt = ServiceRuntime.start("transfer-stream", clients, topics, "127.0.0.1", 0);
        this.viewerRt = ServiceRuntime.start("viewer", clients, topics, "127.0.0.1", 0);
        this.producer = new KafkaProducer<>(clients.producer("corpus"));
        producer.send(new ProducerRecord<>(topics.models(), model.getName(), model.toByteArray())).get();
        this.transfer = TransferStreamApp.start(transferRt.clients(),
                TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO), transferRt.metrics());
        transferRt.bind(transfer.streams());
        this.viewer = Viewer.start(viewerRt, "127.0.0.1", 0, topics.prefix() + "viewer");
        if (!transfer.awaitRunning(Duration.ofSeconds(90)) || !viewer.awaitFollowing(Duration.ofSeconds(60))
                || !segment.awaitRunning(Duration.ofSeconds(90))) {
            throw new IllegalStateException("pipeline did not start");
        }
        String label = model.getName() + ":" + model.getVersion();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!transfer.currentGenerator("any").equals(label) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!transfer.currentGenerator("any").equals(label)) {
            throw new IllegalStateException("generator " + label + " did not load");
        }
        this.tail = new TopicTail(clients.consumer(null), topics.dlq(), topics.rendered(), topics.segments());
    }

    Observed feed(Case c) throws Exception {
        double sf0 = segmentFailed();
        double tf0 = transferFailed();
        double mr0 = modelsRejected();
        double vf0 = viewerFailed();
        String topic = topicOf(c.target());
        RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, c.key(), c.value())).get();
        long seq = ++sentinelSeq;
        String sentinel = "sentinel-" + c.target().name().toLowerCase(Locale.ROOT);
        byte[] good = switch (c.target()) {
            case FRAMES -> Frame.newBuilder().setStreamId(sentinel).setSeq(seq).setCaptureTimeUs(BadInputCorpus.now())
                    .setWidth(32).setHeight(24).setJpeg(com.google.protobuf.ByteString.copyFrom(BadInputCorpus.jpeg(32, 24)))
                    .build().toByteArray();
            case SEGMENTS -> SyntheticSegments.of(sentinel, seq, BadInputCorpus.now(), 64, 48).build().toByteArray();
            case RENDERED -> Rendered.newBuilder().setStreamId(sentinel).setSeq(seq).setCaptureTimeUs(BadInputCorpus.now())
                    .setWidth(32).setHeight(24).setJpeg(com.google.protobuf.ByteString.copyFrom(BadInputCorpus.jpeg(32, 24)))
                    .setGeneratorVersion("sentinel").build().toByteArray();
            case MASKS -> RawMask.newBuilder().setStreamId(sentinel).setSeq(seq).setCaptureTimeUs(BadInputCorpus.now())
                    .setWidth(64).setHeight(48).setImage(com.google.protobuf.ByteString.copyFrom(
                            BadInputCorpus.colourMask(64, 48))).build().toByteArray();
            case MODELS -> null;
        };
        if (good != null) {
            producer.send(new ProducerRecord<>(topic, 0, sentinel, good)).get();
        }
        long deadline = System.nanoTime() + CASE_TIMEOUT.toNanos();
        Panel panel = panelOf(c.target());
        ConsumerRecord<String, byte[]> dlq = null;
        if (c.target() == Target.FRAMES || c.target() == Target.MASKS) {
            tail.await(r -> r.topic().equals(topics.segments()) && isSegmentation(r, sentinel, seq), CASE_TIMEOUT);
        } else if (c.target() == Target.SEGMENTS) {
            tail.await(r -> r.topic().equals(topics.rendered()) && isRender(r, sentinel, seq), CASE_TIMEOUT);
        } else if (c.target() == Target.MODELS) {
            // a model is loaded in the background; the DLQ record comes when it is refused
            dlq = tail.await(r -> isDeadLetterOf(r, topic, md.offset()),
                    c.value() == null ? Duration.ofSeconds(5) : CASE_TIMEOUT);
        }
        while (panel != null && viewerAlive() && !shows(sentinel, panel, seq) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        tail.poll(Duration.ofMillis(300)); // a render of the case may sit on another partition
        if (dlq == null) {
            dlq = tail.seen().stream().filter(r -> isDeadLetterOf(r, topic, md.offset())).findFirst().orElse(null);
        }
        SegmentOutcome sg;
        if (c.target() != Target.FRAMES && c.target() != Target.MASKS) {
            sg = SegmentOutcome.NOT_ITS_TOPIC;
        } else if (dlq != null) {
            sg = SegmentOutcome.DLQ;
        } else if (c.stream() != null && tail.seen().stream().anyMatch(r -> r.topic().equals(topics.segments())
                && isSegmentation(r, c.stream(), c.seq()))) {
            sg = SegmentOutcome.SEGMENTED;
        } else {
            sg = SegmentOutcome.IGNORED;
        }
        TransferOutcome t;
        if (c.target() != Target.SEGMENTS && c.target() != Target.MODELS) {
            t = TransferOutcome.NOT_ITS_TOPIC;
        } else if (dlq != null) {
            t = TransferOutcome.DLQ;
        } else if (c.stream() != null && tail.seen().stream().anyMatch(r -> isRender(r, c.stream(), c.seq()))) {
            t = TransferOutcome.RENDERED;
        } else {
            t = TransferOutcome.IGNORED;
        }
        double vf = viewerFailed() - vf0;
        ViewerOutcome v;
        if (panel == null) {
            v = ViewerOutcome.NOT_ITS_TOPIC;
        } else if (vf >= 1) {
            v = ViewerOutcome.FAILED;
        } else if (c.stream() != null && shows(c.stream(), panel, c.seq())) {
            v = ViewerOutcome.SHOWN;
        } else {
            v = ViewerOutcome.IGNORED;
        }
        String reason = dlq == null ? null
                : TopicTail.header(dlq, DLQ_STAGE) + ": " + TopicTail.header(dlq, DLQ_ERROR);
        return new Observed(c, sg, t, v, reason, segmentFailed() - sf0, transferFailed() - tf0,
                modelsRejected() - mr0, vf, segment.isRunning(), transferAlive(), viewerAlive());
    }

    private boolean shows(String stream, Panel panel, long seq) {
        PanelImage img = viewer.streams().latest(stream, panel);
        return img != null && (seq < 0 || img.seq() == seq);
    }

    private static boolean isSegmentation(ConsumerRecord<String, byte[]> r, String stream, long seq) {
        return isGood(r, Segmentation.parser(), x -> x.getStreamId().equals(stream) && x.getSeq() == seq);
    }

    private static boolean isRender(ConsumerRecord<String, byte[]> r, String stream, long seq) {
        return isGood(r, Rendered.parser(), x -> x.getStreamId().equals(stream) && x.getSeq() == seq);
    }

    /** Whether {@code r} is a good record (not a dead letter, parsed by {@code parser}) that passes {@code test}. */
    private static <T> boolean isGood(ConsumerRecord<String, byte[]> r, com.google.protobuf.Parser<T> parser,
                                      java.util.function.Predicate<T> test) {
        if (r.value() == null || r.headers().lastHeader(DLQ_STAGE) != null) {
            return false;
        }
        try {
            return test.test(parser.parseFrom(r.value()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static boolean isDeadLetterOf(ConsumerRecord<String, byte[]> r, String topic, long offset) {
        return topic.equals(TopicTail.header(r, DLQ_SOURCE_TOPIC))
                && String.valueOf(offset).equals(TopicTail.header(r, DLQ_SOURCE_OFFSET));
    }

    private String topicOf(Target t) {
        return switch (t) {
            case FRAMES -> topics.frames();
            case SEGMENTS -> topics.segments();
            case MODELS -> topics.models();
            case RENDERED -> topics.rendered();
            case MASKS -> topics.masksRaw();
        };
    }

    private static Panel panelOf(Target t) {
        return switch (t) {
            case FRAMES -> Panel.SOURCE;
            case SEGMENTS -> Panel.PARTS;
            case RENDERED -> Panel.RENDER;
            case MODELS, MASKS -> null;
        };
    }

    boolean transferAlive() {
        KafkaStreams.State s = transfer.streams().state();
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    /** The viewer's consumer thread (it has no liveness API of its own). */
    boolean viewerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("viewer-consumer") && t.isAlive());
    }

    /** Failed records of every segment-stream stage (segment, quantize). */
    double segmentFailed() {
        return segmentRt.metrics().registry().find("dance.frames").tag("outcome", "failed").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    double transferFailed() {
        return count(transferRt.metrics().registry(), "dance.frames", "stage", "transfer", "outcome", "failed");
    }

    double modelsRejected() {
        return count(transferRt.metrics().registry(), "dance.model.loads", "outcome", "rejected");
    }

    double viewerFailed() {
        return count(viewerRt.metrics().registry(), "dance.frames", "stage", "viewer", "outcome", "failed");
    }

    private static double count(MeterRegistry r, String name, String... tags) {
        Counter c = r.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        tail.close();
        producer.close(Duration.ofSeconds(5));
        viewer.close();
        transfer.close();
        segment.close();
        segmenter.close();
        segmentRt.close();
        viewerRt.close();
        transferRt.close();
    }
}
