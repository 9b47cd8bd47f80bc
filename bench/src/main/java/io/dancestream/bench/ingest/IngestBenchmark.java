package io.dancestream.bench.ingest;

import io.dancestream.common.metrics.Percentiles;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.io.Directories;
import io.dancestream.common.io.SampleData;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.ingest.FrameEncoder;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.IngestSummary;
import io.dancestream.ingest.source.Backoff;
import io.dancestream.ingest.source.CapturedFrame;
import io.dancestream.ingest.source.FrameSource;
import io.dancestream.ingest.source.GrabberSource;
import io.dancestream.ingest.source.ImageFolderSource;
import io.dancestream.ingest.source.Pace;
import io.dancestream.ingest.source.SourceException;
import io.dancestream.ingest.source.SourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code dance bench ingest} (old form {@code dance ingest --benchmark}): JPEG encode time per frame (OpenCV imencode, after any
 * resize) and end-to-end ingest throughput with {@code --pace max} into a real broker started
 * in this process (so the number does not depend on a remote network).
 */
final class IngestBenchmark {

    static final String DEFAULT_SOURCE = SampleData.VTEST;

    private IngestBenchmark() {
    }

    record Result(String source, int requestedWidth, int requestedHeight, int width, int height, int quality,
                  long encodeFrames,
                  double encodeMeanMs, double encodeP50Ms, double encodeP95Ms, double encodeCpuMs, int openCvThreads,
                  IngestSummary ingest, String machine) {

        String markdown() {
            return String.format(Locale.ROOT, """
                    ## ingest benchmark (%s)

                    - machine: %s
                    - source: %s, output %dx%d JPEG q%d
                    - command: `./dance ingest --benchmark%s`

                    | measure | value |
                    | --- | --- |
                    | JPEG encode (OpenCV imencode%s), mean | %.2f ms/frame |
                    | JPEG encode, p50 / p95 | %.2f / %.2f ms/frame |
                    | JPEG encode, CPU time of the calling thread (OpenCV threads: %d), mean | %.2f ms/frame |
                    | ingest `--pace max` into an in-process KRaft broker (grab + decode + encode + produce, acks=all) | %.1f frames/s (%d frames in %.2f s) |
                    """, Instant.now(), machine, source, width, height, quality, options(),
                    requestedWidth > 0 || requestedHeight > 0 ? " + resize" : "", encodeMeanMs, encodeP50Ms, encodeP95Ms, openCvThreads, encodeCpuMs,
                    ingest.framesPerSecond(), ingest.frames(), ingest.elapsedNanos() / 1e9);
        }

        private String options() {
            return (requestedWidth > 0 ? " --width " + requestedWidth : "")
                    + (requestedHeight > 0 ? " --height " + requestedHeight : "")
                    + (quality != ImageCodec.DEFAULT_JPEG_QUALITY ? " --jpeg-quality " + quality : "");
        }
    }

    static Result run(String source, int width, int height, long maxFrames, int quality) throws IOException {
        String machine = machine();
        SourceSpec spec = SourceSpec.parse(source);
        long[] cpuNanos = new long[2]; // total CPU ns, frames
        long[] encodeNanos = encodeTimes(spec, width, height, maxFrames, quality, cpuNanos);
        int[] size = outputSize(spec, width, height);
        Path dir = Files.createTempDirectory("dance-bench-broker-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).start()) {
            Topics topics = new Topics("bench.dance.");
            TopicAdmin.ensureTopics(broker.clients().common(), topics.specs(), Duration.ofSeconds(30));
            // warm-up: JIT, producer metadata, first segment files
            FrameIngestor.builder(broker.clients(), topics).source(spec).streamId("warmup").pace(Pace.max)
                    .maxFrames(50).size(width, height).jpegQuality(quality).build().run();
            IngestSummary s = FrameIngestor.builder(broker.clients(), topics).source(spec).streamId("bench")
                    .pace(Pace.max).maxFrames(maxFrames).size(width, height).jpegQuality(quality).build().run();
            long[] sorted = encodeNanos.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
            return new Result(spec.description(), width, height, size[0], size[1], quality, sorted.length, mean,
                    Percentiles.median(sorted) / 1e6, Percentiles.of(sorted, 0.95) / 1e6,
                    cpuNanos[0] / 1e6 / cpuNanos[1], org.bytedeco.opencv.global.opencv_core.getNumThreads(), s, machine);
        } finally {
            try {
                Directories.deleteRecursively(dir);
            } catch (java.io.UncheckedIOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    /** Encode-only timing: every frame re-encoded (no JPEG pass-through), as a camera frame would be. */
    private static long[] encodeTimes(SourceSpec spec, int width, int height, long maxFrames, int quality,
                                      long[] cpuNanos) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        FrameEncoder encoder = new FrameEncoder(width, height, quality);
        FrameSource src = source(spec);
        long limit = maxFrames > 0 ? maxFrames : Long.MAX_VALUE;
        long[] times = new long[1024];
        int n = 0;
        try (src) {
            src.open();
            CapturedFrame next;
            while (n < limit && (next = src.next()) != null) {
                try (CapturedFrame f = next) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    encoder.frame(f.image, null);
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                    }
                    times[n++] = System.nanoTime() - t0;
                    cpuNanos[0] += threads.getCurrentThreadCpuTime() - c0;
                    cpuNanos[1]++;
                }
            }
        }
        if (n == 0) {
            throw new SourceException(spec.location() + " gave no frames to benchmark");
        }
        // the first frames pay for JIT and OpenCV's lazy init
        int skip = Math.min(10, n / 10);
        return Arrays.copyOfRange(times, skip, n);
    }

    /** The source as ingest would open it, with default camera settings and no masks. */
    private static FrameSource source(SourceSpec spec) {
        return spec.kind() == SourceSpec.Kind.IMAGE_FOLDER
                ? new ImageFolderSource(Path.of(spec.location()), null, 0)
                : new GrabberSource(spec, GrabberSource.CameraSettings.DEFAULT, Backoff.DEFAULT, () -> false);
    }

    private static int[] outputSize(SourceSpec spec, int width, int height) {
        FrameSource src = source(spec);
        try (src) {
            src.open();
            try (CapturedFrame f = src.next()) {
                return FrameEncoder.fit(f.image.cols(), f.image.rows(), width, height);
            }
        }
    }

    static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: keep "unknown CPU"
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        // the load average says how much the CPUs were shared while measuring
        return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, load average %s at the start, %s, Java %s",
                cpu, Runtime.getRuntime().availableProcessors(), load, System.getProperty("os.name") + " "
                        + System.getProperty("os.version"), System.getProperty("java.version"));
    }

}
