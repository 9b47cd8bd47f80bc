package io.dancestream.transferstream;

import io.dancestream.common.metrics.DanceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of transfer-stream, defined in one place: the shared dance_* stage meters plus
 * inference time, batch size, placeholder renders and model loads.
 */
public final class TransferMeters {

    static final String STAGE = "transfer";

    final DanceMetrics.StageMeters stage;
    private final Map<String, Timer> inference = new ConcurrentHashMap<>();
    final DistributionSummary batchSize;
    final Counter placeholder;
    final Counter modelsLoaded;
    final Counter modelsRejected;
    private final DanceMetrics metrics;
    private final AtomicInteger available = new AtomicInteger();
    private final Map<RenderHistories.Outcome, Counter> conditioning = new java.util.EnumMap<>(RenderHistories.Outcome.class);

    public TransferMeters(DanceMetrics metrics) {
        this.metrics = metrics;
        MeterRegistry r = metrics.registry();
        this.stage = metrics.stage(STAGE);
        this.batchSize = DistributionSummary.builder("dance.batch.size").description("Frames per inference batch")
                .tag("stage", STAGE).register(r);
        this.placeholder = Counter.builder("dance.rendered.placeholder")
                .description("Frames rendered as the colour part map because no generator was available")
                .register(r);
        this.modelsLoaded = Counter.builder("dance.model.loads").tag("outcome", "loaded")
                .description("Published generators loaded or rejected").register(r);
        this.modelsRejected = Counter.builder("dance.model.loads").tag("outcome", "rejected")
                .description("Published generators loaded or rejected").register(r);
        for (RenderHistories.Outcome o : RenderHistories.Outcome.values()) {
            conditioning.put(o, Counter.builder("dance.render.history").tag("outcome", o.name())
                    .description("Person frames by how they follow their stream's previous frame: continued (steady crop,"
                            + " a two-frame model conditioned on the last render) or started over (first, gap, track, generator)")
                    .register(r));
        }
        // dance_generator_available 0 says "no model yet: rendering the colour part map"
        io.micrometer.core.instrument.Gauge.builder("dance.generator.available", available, AtomicInteger::get)
                .description("1 once a generator serves, 0 while placeholders (colour part maps) are rendered")
                .tag("stage", STAGE).strongReference(true).register(r);
    }

    /**
     * {@code dance_inference_seconds{model}}: generator time per frame (a batch's time shared by
     * its frames), the same meter segment-stream uses for its models, so one dashboard shows both.
     */
    void recordInference(GeneratorModel model, long batchNanos, int frames) {
        Timer t = inference.computeIfAbsent(model.label(), metrics::inference);
        for (int i = 0; i < frames; i++) {
            t.record(batchNanos / frames, TimeUnit.NANOSECONDS);
        }
    }

    /** Counts one person frame's {@link RenderHistories.Outcome}. */
    void conditioning(RenderHistories.Outcome outcome) {
        conditioning.get(outcome).increment();
    }

    /** The registry's listener: counts loads and sets dance_model_info. */
    GeneratorRegistry.Listener listener() {
        return new GeneratorRegistry.Listener() {
            @Override
            public void activated(GeneratorModel model) {
                modelsLoaded.increment();
                available.set(1);
                metrics.modelInfo(model.version().getName(), model.version().getVersion());
            }

            @Override
            public void rejected(io.dancestream.common.proto.ModelVersion model, String reason) {
                modelsRejected.increment();
            }
        };
    }
}
