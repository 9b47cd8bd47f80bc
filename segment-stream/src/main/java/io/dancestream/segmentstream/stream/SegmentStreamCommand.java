package io.dancestream.segmentstream.stream;

import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.config.Mode;
import io.dancestream.common.service.ServicePorts;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.segmentstream.options.AppOptions;
import io.dancestream.segmentstream.options.InferenceOptions;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.OnlineRefitter;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance segment-stream}: frames → part maps (and training pairs) as a Kafka Streams service. */
@Command(name = "segment-stream", mixinStandardHelpOptions = true,
        description = {"Kafka Streams app: dance.frames -> BlazePose part maps -> dance.segments; captured masks "
                + "(dance.masks.raw) -> quantized part maps; training streams -> dance.pairs (exactly once).",
            "  dance segment-stream --mode replay --train-stream dancer"})
public final class SegmentStreamCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--mode", defaultValue = "${env:DANCE_MODE:-live}",
            description = "live: skip frames older than --max-frame-age; replay: process every frame (env DANCE_MODE; default ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--max-frame-age", paramLabel = "MS", defaultValue = "500",
            description = "Live mode frame-age budget at the segmenter, ms (default ${DEFAULT-VALUE}).")
    long maxFrameAgeMs;

    @Option(names = "--train-stream", paramLabel = "ID", split = ",",
            description = "Stream ids whose frames become training pairs (besides frames with header dance.train=1).")
    List<String> trainStreams = new ArrayList<>();

    @Option(names = "--pair-window", paramLabel = "S", defaultValue = "30",
            description = "Seconds a frame or part map waits for its partner in the pair join (default ${DEFAULT-VALUE}).")
    long pairWindowS;

    @Option(names = "--stream-threads", defaultValue = "1",
            description = "Live stream threads; more only help with several streams over several partitions (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Mixin
    InferenceOptions inference = new InferenceOptions();

    @Option(names = "--quantizer-fit", paramLabel = "FILE",
            description = "Quantizer fit for captured masks (JSON from dance quantize --fit); online re-fits are saved here.")
    Path quantizerFit;

    @Option(names = "--refit-every", paramLabel = "N", defaultValue = "0",
            description = "Re-fit the quantizer every N captured masks (0 = never; default ${DEFAULT-VALUE}).")
    int refitEvery;

    @Mixin
    AppOptions apps = new AppOptions();

    @Option(names = "--state-dir", description = "Kafka Streams state directory.")
    String stateDir;

    @Option(names = "--no-smoothing",
            description = "Do not filter landmarks across frames (One Euro, on by default). The filter smooths the "
                    + "landmarks written to dance.segments; the part map is drawn from the model's own pose either way "
                    + "(drawing it from the filtered pose was measured and did not steady the render: "
                    + "docs/temporal-coherence.md).")
    boolean noSmoothing;

    SegmenterConfig segmenterConfig() {
        return inference.config().withSmoothing(!noSmoothing);
    }

    @Override
    public Integer call() throws Exception {
        SegmentStreamConfig cfg = new SegmentStreamConfig(service.kafka().topics(), mode, Duration.ofMillis(maxFrameAgeMs),
                new TrainingStreams(new HashSet<>(trainStreams)), Duration.ofSeconds(pairWindowS));
        QuantizerFit fit = quantizerFit != null && Files.exists(quantizerFit) ? QuantizerFit.load(quantizerFit)
                : QuantizerFit.palette();
        MaskQuantizer quantizer = new MaskQuantizer(fit, true);
        OnlineRefitter refitter = refitEvery > 0 ? new OnlineRefitter(quantizer, refitEvery, quantizerFit) : null;
        try (ServiceRuntime rt = ServiceRuntime.start("segment-stream", service,
                ServicePorts.SEGMENT_STREAM_METRICS);
             Segmenter segmenter = Segmenter.create(segmenterConfig());
             SegmentStreamApp app = SegmentStreamApp.start(rt.clients(), cfg, segmenter, quantizer, refitter,
                     rt.metrics(), apps.options(streamThreads, stateDir))) {
            app.streams().forEach(rt::bind);
            if (!app.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("segment-stream did not reach RUNNING within 2 minutes (broker "
                        + rt.clients().bootstrapServers() + ")");
            }
            rt.running(true);
            System.out.println("segment-stream running (" + mode + ", " + segmenter.modelId() + "); metrics on /metrics");
            rt.awaitStop();
        }
        return 0;
    }
}
