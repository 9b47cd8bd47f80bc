package io.dancestream.bench.transfer;

import com.google.protobuf.ByteString;
import io.dancestream.common.metrics.Percentiles;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.common.records.Timings;
import io.dancestream.transferstream.FrameRenderer;
import io.dancestream.transferstream.GeneratorModel;
import io.dancestream.transferstream.ModelLoader;
import io.dancestream.transferstream.Placement;
import io.dancestream.transferstream.RenderHistories;
import io.dancestream.transferstream.TransferMeters;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance bench transfer} (old form {@code dance transfer-stream bench}): rendered frames/s and per-frame latency on this machine.
 * Part 1 renders in-process (class-map PNG decode → generator → JPEG) per batch size, to choose
 * B; part 2 runs the whole service on a real (embedded) broker: segments produced at a camera's
 * pace, latency = rendered record received − capture time.
 */
@Command(name = "transfer", aliases = "transfer-stream", mixinStandardHelpOptions = true,
        description = "Benchmark rendering: frames/s per batch size, then end to end through Kafka.")
public final class TransferBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR",
            description = "Generator SavedModel (the trainer's export); without it the placeholder path is measured.")
    Path model;

    @Option(names = "--frames", defaultValue = "300", description = "Frames per measurement (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--width", defaultValue = "640") int width;
    @Option(names = "--height", defaultValue = "480") int height;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8",
            description = "Batch sizes of the in-process part (default: ${DEFAULT-VALUE}).")
    int[] batchSizes;

    @Option(names = "--fps", defaultValue = "15", description = "Pace of the end-to-end part (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--warmup-frames", defaultValue = "30",
            description = "End-to-end frames sent first and not counted (default: ${DEFAULT-VALUE}).")
    int warmupFrames;

    @Option(names = "--skip-kafka", description = "Only the in-process part.")
    boolean skipKafka;

    @Override
    public Integer call() throws Exception {
        ModelVersion mv = model == null ? null : benchVersion(model);
        List<Segmentation> segs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            segs.add(Segmentation.newBuilder().setStreamId("bench").setSeq(i).setWidth(width).setHeight(height)
                    .setClassMap(ByteString.copyFrom(SyntheticPartMaps.png(width, height, i))).build());
        }
        System.out.printf("transfer-stream bench: %dx%d, %d frames, model %s, %d CPU cores%n", width, height, frames,
                model == null ? "none (placeholder)" : model, Runtime.getRuntime().availableProcessors());
        inProcess(mv, segs);
        if (!skipKafka) {
            endToEnd(mv, segs, Mode.live, fps);
            endToEnd(mv, segs, Mode.replay, 0);
        }
        return 0;
    }

    /**
     * The directory as a ModelVersion: a person-crop model when it holds the trainer's plate.png
     * (what its announced record would say), else a whole-frame model.
     */
    public static ModelVersion benchVersion(java.nio.file.Path dir) {
        ModelVersion.Builder b = ModelVersion.newBuilder().setName("bench").setVersion("1")
                .setLocation(dir.toAbsolutePath().toString()).setSha256(ModelChecksum.of(dir));
        java.nio.file.Path plate = dir.resolve("plate.png");
        if (java.nio.file.Files.isRegularFile(plate)) {
            try (org.bytedeco.opencv.opencv_core.Mat m = io.dancestream.common.image.ImageCodec.decodeColor(
                    java.nio.file.Files.readAllBytes(plate))) {
                b.setGeometry(GeneratorSignature.PERSON_CROP).setBackgroundPlate("plate.png").setPlateWidth(m.cols())
                        .setPlateHeight(m.rows());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        // a two-frame model says so in its signature: its ModelVersion (not at hand here) would name the conditioning
        try (org.tensorflow.SavedModelBundle m = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve")) {
            boolean temporal = m.signatures().stream().filter(sig -> sig.key().equals(GeneratorSignature.SIGNATURE))
                    .anyMatch(sig -> sig.getInputs().containsKey(GeneratorSignature.PREVIOUS));
            if (temporal) {
                b.setConditioning(GeneratorSignature.PREVIOUS_CROP);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot load SavedModel " + dir + ": " + e.getMessage(), e);
        }
        return b.build();
    }

    private void inProcess(ModelVersion mv, List<Segmentation> segs) {
        TransferMeters meters = new TransferMeters(new DanceMetrics(new SimpleMeterRegistry()));
        // no stream statistics here: the placement is proportional either way (its cost is a few box maths)
        FrameRenderer renderer = new FrameRenderer(85, null, meters, Placement.source);
        // each stream's history as the live path keeps it (steady crop, a two-frame model's previous render), in a map
        // (serialized, as the state store keeps it)
        java.util.Map<String, byte[]> kept = new java.util.HashMap<>();
        RenderHistories histories = new RenderHistories(new RenderHistories.Store() {
            @Override
            public io.dancestream.common.proto.RenderHistory get(String streamId) {
                byte[] v = kept.get(streamId);
                try {
                    return v == null ? null : io.dancestream.common.proto.RenderHistory.parseFrom(v);
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void put(String streamId, io.dancestream.common.proto.RenderHistory h) {
                kept.put(streamId, h.toByteArray());
            }
        }, TransferSettings.Continuity.DEFAULT);
        GeneratorModel gen = mv == null ? null : ModelLoader.loadVerified(mv, null); // a model the user named: no probe
        try {
            if (gen != null) {
                System.out.printf("generator input %dx%d, %s%n", gen.inputSize(), gen.inputSize(), gen.personCrop()
                        ? "person crop over its " + gen.plate().cols() + "x" + gen.plate().rows() + " plate" : "whole frame");
            }
            System.out.println("| part | batch | frames/s | ms/frame |");
            System.out.println("| --- | --- | --- | --- |");
            for (int b : batchSizes) {
                int batches = Math.max(1, frames / b);
                for (int w = 0; w < 3; w++) {
                    renderer.render(batch(segs, w * b, b), gen, 0, null, histories);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    renderer.render(batch(segs, (3 + i) * b, b), gen, 0, null, histories);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                int n = batches * b;
                System.out.printf("| in-process render (PNG→generator→JPEG) | %d | %.1f | %.1f |%n", b, n / sec, 1000 * sec / n);
            }
        } finally {
            if (gen != null) {
                gen.release();
            }
        }
    }

    /** Frames from..from+n of one stream, as consecutive frames at 30 fps (so each follows its predecessor). */
    private static List<Segmentation> batch(List<Segmentation> segs, int from, int n) {
        List<Segmentation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = from + i;
            out.add(segs.get((from + i) % segs.size()).toBuilder().setSeq(seq).setCaptureTimeUs(seq * 33_333).build());
        }
        return out;
    }

    private void endToEnd(ModelVersion mv, List<Segmentation> segs, Mode mode, double pace) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            KafkaClients clients = broker.clients();
            Topics topics = new Topics("bench-" + mode + ".dance.");
            TopicAdmin.ensureTopics(clients.common(), topics.specs(), Duration.ofSeconds(30));
            SimpleMeterRegistry reg = new SimpleMeterRegistry();
            TransferSettings settings = TransferSettings.defaults(topics).withMode(mode, TransferSettings.DEFAULT_BUDGET);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("bench"));
                 KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer(null));
                 TransferStreamApp app = TransferStreamApp.start(clients, settings, new DanceMetrics(reg))) {
                if (mv != null) {
                    producer.send(new ProducerRecord<>(topics.models(), mv.getName(), mv.toByteArray())).get();
                }
                if (!app.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("streams app did not start");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (mv != null && app.currentGenerator("bench").equals(FrameRenderer.NO_GENERATOR)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                var parts = consumer.partitionsFor(topics.rendered()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToEnd(parts);
                parts.forEach(consumer::position);

                int total = warmupFrames + frames;
                // segments are sent from their own thread, at the camera's pace, while this one receives
                Thread sender = new Thread(() -> {
                    long startNs = System.nanoTime();
                    try {
                        for (int i = 0; i < total; i++) {
                            if (pace > 0) {
                                long due = startNs + (long) (i * 1e9 / pace);
                                while (System.nanoTime() < due) {
                                    Thread.sleep(1);
                                }
                            }
                            Segmentation s = segs.get(i % segs.size()).toBuilder().setSeq(i)
                                    .setCaptureTimeUs(Timings.nowMicros()).build();
                            producer.send(new ProducerRecord<>(topics.segments(), null, s.getCaptureTimeUs() / 1000,
                                    "bench", s.toByteArray()));
                        }
                        producer.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "bench-sender");
                sender.start();
                List<Long> latUs = new ArrayList<>();
                List<Long> waitUs = new ArrayList<>();
                List<Long> renderUs = new ArrayList<>();
                List<Long> deliverUs = new ArrayList<>();
                int seen = 0;
                long first = 0;
                long last = 0;
                long idleUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                var droppedCounter = reg.get("dance.frames").tags("stage", "transfer", "outcome", "dropped_stale").counter();
                while (seen + droppedCounter.count() < total && System.nanoTime() < idleUntil) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = Timings.nowMicros();
                        seen++;
                        var rendered = io.dancestream.common.proto.Rendered.parseFrom(r.value());
                        if (rendered.getSeq() < warmupFrames) {
                            continue;
                        }
                        latUs.add(now - rendered.getCaptureTimeUs());
                        var t = rendered.getTimings(rendered.getTimingsCount() - 1);
                        waitUs.add(t.getStartUs() - rendered.getCaptureTimeUs());
                        renderUs.add(t.getEndUs() - t.getStartUs());
                        deliverUs.add(now - t.getEndUs());
                        first = first == 0 ? now : first;
                        last = now;
                        idleUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    }
                }
                sender.join();
                double dropped = reg.get("dance.frames").tags("stage", "transfer", "outcome", "dropped_stale").counter().count();
                long[] sorted = latUs.stream().mapToLong(Long::longValue).sorted().toArray();
                double span = (last - first) / 1e6;
                System.out.printf("| end to end, %s%s | 1 | %.1f | p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d rendered and counted, %.0f dropped stale of %d sent) |%n",
                        mode, pace > 0 ? " at " + pace + " fps" : " at max pace",
                        sorted.length > 1 ? (sorted.length - 1) / span : 0.0,
                        Percentiles.of(sorted, 0.5) / 1e3, Percentiles.of(sorted, 0.95) / 1e3,
                        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e3, sorted.length, dropped, total);
                System.out.printf("|   of which (p50) | | | wait before render %.0f ms, render %.0f ms, render→received %.0f ms |%n",
                        median(waitUs) / 1e3, median(renderUs) / 1e3, median(deliverUs) / 1e3);
            }
        }
    }

    private static double median(List<Long> v) {
        return Percentiles.of(v, 0.5);
    }
}
