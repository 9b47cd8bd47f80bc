package io.dancestream.bench.viewer;

import com.google.protobuf.ByteString;
import io.dancestream.common.metrics.Percentiles;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.Timings;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.viewer.Panel;
import io.dancestream.viewer.TopicFollower;
import io.dancestream.viewer.Viewer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * {@code dance bench viewer} (old form {@code dance viewer --benchmark}): (1) the viewer's per-frame work, colouring a class map and
 * encoding it as PNG; (2) delivery through a real broker started in this process: frames,
 * part maps and renders produced at a fixed rate, shown by a client that does what the page
 * does, with glass-to-glass (capture → reported shown) from the viewer's own timer.
 */
final class ViewerBenchmark {

    private ViewerBenchmark() {
    }

    static String run(int width, int height, int frames, double fps) throws Exception {
        double[] colourMs = colourTimes(width, height, Math.min(frames, 200));
        String machine = Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, """
                ## viewer benchmark (%s)

                - machine: %s
                - command: `./dance viewer --benchmark --benchmark-size %dx%d --benchmark-frames %d --benchmark-fps %s`

                | measure | value |
                | --- | --- |
                | colour a %dx%d class map (PartSchema.colorize) + PNG encode, mean / p50 / p95 | %.2f / %.2f / %.2f ms/frame |
                """, Instant.now(), machine, width, height, frames, fmt(fps), width, height,
                mean(colourMs), pct(colourMs, 50), pct(colourMs, 95)));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(Files.createTempDirectory("dance-viewer-bench-")).start();
             ServiceRuntime rt = ServiceRuntime.start("viewer", broker.clients(), new Topics("bench.dance."), "127.0.0.1", -1);
             Viewer viewer = Viewer.start(rt, "127.0.0.1", 0, "viewer-benchmark")) {
            if (!viewer.awaitFollowing(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the viewer's consumer was not assigned its partitions within 60 s");
            }
            Topics topics = rt.topics();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clients().producer("viewer-bench"));
                 PageClient page = new PageClient(viewer.port(), "bench").start()) {
                // warm-up (JIT, connections), then reset the latency timer's view by measuring a delta
                send(producer, topics, width, height, 30, fps, "bench");
                Thread.sleep(1000);
                Timer g2g = rt.metrics().glassToGlass(Viewer.SINK);
                long shownBefore = page.shown(Panel.RENDER);
                long countBefore = g2g.count();
                long start = System.nanoTime();
                send(producer, topics, width, height, frames, fps, "bench");
                Thread.sleep(1000);
                double seconds = (System.nanoTime() - start) / 1e9;
                long shown = page.shown(Panel.RENDER) - shownBefore;
                ValueAtPercentile[] p = g2g.takeSnapshot().percentileValues();
                out.append(String.format(Locale.ROOT, """
                        | records produced (frame + segmentation + render per frame) | %d frames at %s fps, %dx%d JPEG q85 |
                        | renders shown by the page client | %d of %d (%.1f/s; the page skips frames it cannot keep up with) |
                        | glass-to-glass capture → shown, p50 / p95 / p99 (viewer timer, decaying window) | %s |
                        | viewer stage per consumed record (parse, validate; part maps are coloured when a page fetches them), mean | %.2f ms |
                        """, frames, fmt(fps), width, height, shown, frames, shown / seconds, percentiles(p),
                        rt.metrics().stage(TopicFollower.STAGE).stageTime().mean(TimeUnit.MICROSECONDS) / 1000.0));
                if (g2g.count() == countBefore) {
                    throw new IllegalStateException("no render was shown: the viewer delivered nothing");
                }
            }
        }
        return out.toString();
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, int w, int h, int n, double fps,
                             String stream) throws Exception {
        long periodNanos = (long) (1e9 / fps);
        long next = System.nanoTime();
        for (int seq = 0; seq < n; seq++) {
            long captureUs = Timings.nowMicros();
            long ts = captureUs / 1000;
            byte[] jpeg = jpeg(w, h, seq);
            producer.send(new ProducerRecord<>(topics.frames(), null, ts, stream, Frame.newBuilder().setStreamId(stream)
                    .setSeq(seq).setCaptureTimeUs(captureUs).setWidth(w).setHeight(h).setJpeg(ByteString.copyFrom(jpeg))
                    .setSource("benchmark").build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.segments(), null, ts, stream, Segmentation.newBuilder()
                    .setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs).setWidth(w).setHeight(h)
                    .setClassMap(ByteString.copyFrom(classMap(w, h, seq))).setModelId("benchmark").build().toByteArray()));
            producer.send(new ProducerRecord<>(topics.rendered(), null, ts, stream, Rendered.newBuilder()
                    .setStreamId(stream).setSeq(seq).setCaptureTimeUs(captureUs).setWidth(w).setHeight(h)
                    .setJpeg(ByteString.copyFrom(jpeg)).setGeneratorVersion("benchmark").build().toByteArray()));
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        producer.flush();
    }

    /** A frame-like JPEG: noise-free gradient plus a moving figure, so sizes resemble a real frame's. */
    private static byte[] jpeg(int w, int h, int seq) {
        try (Mat m = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(90, 120, 140, 0))) {
            int x = (seq * 9) % Math.max(1, w - w / 4);
            opencv_imgproc.rectangle(m, new Point(x, h / 6), new Point(x + w / 4, h - h / 6),
                    new Scalar(40, 60 + seq % 100, 200, 0), -1, opencv_imgproc.LINE_8, 0);
            opencv_imgproc.circle(m, new Point(x + w / 8, h / 8), h / 12, new Scalar(200, 180, 160, 0), -1,
                    opencv_imgproc.LINE_AA, 0);
            return ImageCodec.encodeJpeg(m);
        }
    }

    /** A person-like part map: head, torso and limbs as bands of part ids. */
    private static byte[] classMap(int w, int h, int seq) {
        try (Mat m = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0))) {
            int x = (seq * 9) % Math.max(1, w - w / 4);
            opencv_imgproc.circle(m, new Point(x + w / 8, h / 8), h / 12, new Scalar(1), -1, opencv_imgproc.LINE_8, 0);
            opencv_imgproc.rectangle(m, new Point(x + w / 16, h / 4), new Point(x + w / 5, h / 2), new Scalar(13), -1,
                    opencv_imgproc.LINE_8, 0);
            opencv_imgproc.rectangle(m, new Point(x + w / 16, h / 2), new Point(x + w / 8, h - h / 10), new Scalar(15), -1,
                    opencv_imgproc.LINE_8, 0);
            opencv_imgproc.rectangle(m, new Point(x + w / 8, h / 2), new Point(x + w / 5, h - h / 10), new Scalar(17), -1,
                    opencv_imgproc.LINE_8, 0);
            return ImageCodec.encodeLabelPng(m);
        }
    }

    private static double[] colourTimes(int w, int h, int n) {
        double[] ms = new double[n];
        byte[][] maps = new byte[8][];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = classMap(w, h, i * 7);
        }
        for (int i = -20; i < n; i++) { // the first 20 warm the JIT up and are not counted
            Segmentation s = Segmentation.newBuilder().setStreamId("b").setSeq(Math.max(0, i)).setCaptureTimeUs(1)
                    .setWidth(w).setHeight(h).setClassMap(ByteString.copyFrom(maps[(i + 20) % maps.length])).build();
            long t0 = System.nanoTime();
            TopicFollower.parts(s).bytes();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    private static String percentiles(ValueAtPercentile[] p) {
        StringBuilder s = new StringBuilder();
        for (ValueAtPercentile v : p) {
            s.append(s.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", v.value(TimeUnit.MILLISECONDS)));
        }
        return s + " ms";
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double pct(double[] v, int p) {
        return Percentiles.of(v, p / 100.0);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
