package io.dancestream.common.config;

import picocli.CommandLine.Mixin;

/**
 * The options of a command that runs as a service (a picocli mixin): its {@link KafkaOptions} and
 * {@link MetricsOptions}, which {@code ServiceRuntime.start} takes together. A command that only
 * talks to Kafka, with no metrics endpoint, mixes in {@link KafkaOptions} alone.
 */
public final class ServiceOptions {

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    public KafkaOptions kafka() {
        return kafka;
    }

    public MetricsOptions metrics() {
        return metrics;
    }
}
