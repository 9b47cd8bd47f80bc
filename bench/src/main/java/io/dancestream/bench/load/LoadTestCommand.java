package io.dancestream.bench.load;

import io.dancestream.common.io.SampleData;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import io.dancestream.common.config.KafkaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance bench load-test} (old form {@code dance load-test}): sustained load on the live pipeline; prints (and appends) a Markdown report. */
@Command(name = "load-test", mixinStandardHelpOptions = true, description = {
    "Sustained load on the live pipeline on an embedded broker (or --external): N streams of a looped video at its own frame rate "
            + "-> segment-stream (BlazePose) -> transfer-stream -> a sink on the rendered topic.",
    "Reports frame age p50/p99 and heap after GC per interval, and reconciles ingested = rendered + dropped "
            + "(by stage) + failed."})
public final class LoadTestCommand implements Callable<Integer> {

    static final String VTEST = SampleData.VTEST;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--external", description = "Load the broker of --bootstrap-servers/--kafka-config (topics of "
            + "--topic-prefix) instead of an embedded one.")
    boolean external;

    @Option(names = "--streams", defaultValue = "4", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--duration-s", defaultValue = "600", description = "Load duration in seconds (default: ${DEFAULT-VALUE}).")
    long durationS;

    @Option(names = "--interval-s", defaultValue = "60", description = "Report interval in seconds (default: ${DEFAULT-VALUE}).")
    long intervalS;

    @Option(names = "--width", defaultValue = "320", description = "Frame width sent (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--source", defaultValue = VTEST,
            description = "Video looped by every stream at its own frame rate (default: OpenCV's vtest.avi, 10 fps).")
    String source;

    @Option(names = "--variant", defaultValue = "LITE",
            description = "BlazePose variant: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SegmenterConfig.Variant variant;

    @Option(names = "--budget-ms", defaultValue = "500",
            description = "Live frame-age budget of segment-stream and transfer-stream: older frames are dropped "
                    + "and counted (default: the services' ${DEFAULT-VALUE}).")
    long budgetMs;

    @Option(names = "--instances", defaultValue = "1",
            description = "Instances of each streams app (segment-stream, transfer-stream), one consumer group per app "
                    + "splitting the partitions; all in this JVM (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--report", paramLabel = "FILE", description = "Also append the Markdown report to FILE.")
    Path report;

    /** Standalone too: {@code java -cp CLASSPATH io.dancestream.cli.reliability.LoadTestCommand --duration-s 60}. */
    public static void main(String[] args) {
        System.exit(io.dancestream.common.config.CommandRunner.run(new LoadTestCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || durationS < 1 || intervalS < 1 || width < 16 || budgetMs < 1 || instances < 1) {
            throw new IllegalArgumentException("--streams, --duration-s, --interval-s and --budget-ms must be positive, "
                    + "--width at least 16");
        }
        if (!source.contains("://") && !Files.exists(Path.of(source))) {
            throw new IllegalArgumentException("source " + source + " does not exist: pass --source VIDEO");
        }
        LoadTest.Settings settings = new LoadTest.Settings(streams, Duration.ofSeconds(durationS),
                Duration.ofSeconds(intervalS), width, source, variant, Duration.ofMillis(budgetMs), instances);
        LoadTest.Result r = external ? LoadTest.run(settings, kafka.clients(), kafka.topics()) : LoadTest.run(settings);
        String md = LoadTest.markdown(r, machine());
        System.out.println(md);
        if (report != null) {
            Files.writeString(report, md + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return r.totals().reconciled() ? 0 : 1;
    }

    static String machine() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "Machine: %d CPUs, %s %s, Java %s, max heap %d MB, load average %.1f at "
                        + "the end; %s (UTC); command: `./dance load-test`",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, os.getSystemLoadAverage(),
                Instant.now().toString().substring(0, 16).replace('T', ' '));
    }
}
