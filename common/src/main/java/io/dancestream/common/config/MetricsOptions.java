package io.dancestream.common.config;

import picocli.CommandLine.Option;

/** The metrics endpoint options every service shares (a picocli mixin). */
public class MetricsOptions {

    /** Use the service's own default port (each service has one, so they coexist on a host). */
    public static final int SERVICE_DEFAULT = Integer.MIN_VALUE;

    @Option(names = "--metrics-port", paramLabel = "N", defaultValue = "${env:DANCE_METRICS_PORT}",
            description = "Port of /metrics and /health (env DANCE_METRICS_PORT; 0 = any free port, "
                    + "-1 = off; default: the service's own port).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDR", defaultValue = "${env:DANCE_METRICS_BIND:-0.0.0.0}",
            description = "Address /metrics binds to (env DANCE_METRICS_BIND; default: ${DEFAULT-VALUE}, "
                    + "so Prometheus can scrape it).")
    String metricsBind;

    public int port(int serviceDefault) {
        return metricsPort == null ? serviceDefault : metricsPort;
    }

    public String bind() {
        return metricsBind;
    }
}
