package io.dancestream.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place that defines the shared {@code dance_*} meters of docs/design.md. Stages are handed
 * a {@link StageMeters} and never build meter names themselves.
 *
 * <ul>
 *   <li>{@code dance_frames_total{stage,outcome}}</li>
 *   <li>{@code dance_stage_seconds{stage}} (histogram)</li>
 *   <li>{@code dance_frame_age_seconds{stage}} (histogram, SLO buckets 10 ms … 2 s)</li>
 *   <li>{@code dance_glass_to_glass_seconds{sink}}</li>
 *   <li>{@code dance_camera_refused_total{reason}}: the viewer's browser camera</li>
 *   <li>{@code dance_model_info{model,version}}, {@code dance_train_loss{kind}},
 *       {@code dance_train_steps_total}</li>
 * </ul>
 */
public final class DanceMetrics {

    /** Outcomes of {@code dance_frames_total}. */
    public static final String PROCESSED = "processed";
    public static final String DROPPED_STALE = "dropped_stale";
    public static final String FAILED = "failed";

    static final Duration[] AGE_SLOS = {
        Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2)};

    private final MeterRegistry registry;
    private final Map<String, StageMeters> stages = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> losses = new ConcurrentHashMap<>();
    private final Map<String, Gauge> modelInfo = new ConcurrentHashMap<>();

    public DanceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The meters of one pipeline stage (created once, shared by its threads). */
    public StageMeters stage(String stage) {
        return stages.computeIfAbsent(stage, s -> new StageMeters(registry, s));
    }

    /**
     * {@code dance_inference_seconds{model}}: model time per frame, one meter for segment-stream's
     * BlazePose and transfer-stream's generators, so one dashboard panel shows both.
     */
    public Timer inference(String model) {
        return perFrameTime(registry, "dance.inference", "Model inference time per frame", "model", model);
    }

    /** A time spent on each frame, as a histogram (buckets from 1 ms to 10 s) that dashboards take quantiles of. */
    private static Timer perFrameTime(MeterRegistry registry, String name, String description, String tag,
                                      String value) {
        return Timer.builder(name)
                .description(description)
                .tag(tag, value)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** Records capture → displayed/written at a sink (viewer, MP4 export). */
    public Timer glassToGlass(String sink) {
        return Timer.builder("dance.glass.to.glass")
                .description("Capture time to shown or written at a sink")
                .tag("sink", sink)
                .serviceLevelObjectives(AGE_SLOS)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    /**
     * {@code dance_camera_refused_total{reason}}: browser-camera connections or messages the viewer
     * refused (bad origin, missing token, too large, bad stream id, ...); none of them reaches a topic.
     */
    public Counter cameraRefused(String reason) {
        return Counter.builder("dance.camera.refused")
                .description("Browser-camera connections and messages refused, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * Sets {@code dance_model_info{model,version} 1} for the model now serving; the series of the
     * version it replaced is removed, so a dashboard shows exactly the current one.
     */
    public synchronized void modelInfo(String model, String version) {
        Gauge previous = modelInfo.remove(model);
        if (previous != null) {
            registry.remove(previous);
        }
        modelInfo.put(model, Gauge.builder("dance.model.info", () -> 1)
                .description("Model currently serving (1) by name and version")
                .tags("model", model, "version", version)
                .strongReference(true)
                .register(registry));
    }

    /** {@code dance_train_loss{kind}}: latest value of one training loss. */
    public void trainLoss(String kind, double value) {
        losses.computeIfAbsent(kind, k -> {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            Gauge.builder("dance.train.loss", ref, AtomicReference::get)
                    .description("Latest training loss")
                    .tag("kind", k)
                    .register(registry);
            return ref;
        }).set(value);
    }

    /** {@code dance_train_steps_total}. */
    public Counter trainSteps() {
        return Counter.builder("dance.train.steps").description("Training steps done").register(registry);
    }

    /** Meters of one stage. */
    public static final class StageMeters {
        private final String stage;
        private final MeterRegistry registry;
        private final Timer stageTime;
        private final Timer frameAge;
        private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

        StageMeters(MeterRegistry registry, String stage) {
            this.registry = registry;
            this.stage = stage;
            this.stageTime = perFrameTime(registry, "dance.stage", "Time spent inside a stage per frame", "stage", stage);
            this.frameAge = Timer.builder("dance.frame.age")
                    .description("now - capture time when a stage emits a frame")
                    .tag("stage", stage)
                    .serviceLevelObjectives(AGE_SLOS)
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
            // the three standard outcomes exist from the start, so rates and dashboards see 0
            outcome(PROCESSED);
            outcome(DROPPED_STALE);
            outcome(FAILED);
        }

        public String name() {
            return stage;
        }

        public Counter outcome(String outcome) {
            return outcomes.computeIfAbsent(outcome, o -> Counter.builder("dance.frames")
                    .description("Frames by stage and outcome")
                    .tags("stage", stage, "outcome", o)
                    .register(registry));
        }

        public void processed() {
            outcome(PROCESSED).increment();
        }

        public void droppedStale() {
            outcome(DROPPED_STALE).increment();
        }

        public void failed() {
            outcome(FAILED).increment();
        }

        public Timer stageTime() {
            return stageTime;
        }

        public void recordStage(long nanos) {
            stageTime.record(nanos, TimeUnit.NANOSECONDS);
        }

        /** Records the frame's age now, given its capture time in µs since the epoch. */
        public void recordAge(long captureTimeUs) {
            long ageUs = io.dancestream.common.records.Timings.nowMicros() - captureTimeUs;
            frameAge.record(Math.max(0, ageUs), TimeUnit.MICROSECONDS);
        }

        public Timer frameAge() {
            return frameAge;
        }
    }

    /** {@code dance_frame_bytes{stage}}: encoded size of the frames a stage emits. */
    public DistributionSummary bytes(String stage) {
        return DistributionSummary.builder("dance.frame.bytes").baseUnit("bytes").tag("stage", stage)
                .description("Encoded frame size").register(registry);
    }
}
