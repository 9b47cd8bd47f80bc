package io.dancestream.common.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics bootstrap of every service: a Prometheus registry with the JVM binders and the
 * shared {@link DanceMetrics}, served at {@code /metrics}, and {@code /health} (200 only when
 * the health check passes: Kafka reachable and the stage running).
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusMeterRegistry registry;
    private final DanceMetrics metrics;
    private final JvmGcMetrics gc;
    private HttpServer http;
    private volatile Supplier<Health> health = () -> new Health(false, "starting");
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public MetricsServer(String service) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service).meterFilter(new PromLintNames());
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        metrics = new DanceMetrics(registry);
    }

    public DanceMetrics metrics() {
        return metrics;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition, as served at /metrics. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Runs {@code r} before every scrape: for gauges whose rows change (e.g. owned partitions). */
    public void beforeScrape(Runnable r) {
        beforeScrape.add(r);
    }

    public void healthCheck(Supplier<Health> check) {
        this.health = check;
    }

    /**
     * Serves /metrics and /health on {@code bind:port}; port 0 picks a free one, a negative
     * port serves nothing (metrics are still recorded).
     */
    public MetricsServer start(String bind, int port) {
        if (port < 0) {
            return this;
        }
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + bind + ":" + port + " ("
                    + e.getMessage() + "): choose another --metrics-port", e);
        }
        http.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape()));
        http.createContext("/health", ex -> {
            Health h = health.get();
            respond(ex, h.up() ? 200 : 503, "text/plain; charset=utf-8", (h.up() ? "UP" : "DOWN") + " " + h.detail() + "\n");
        });
        http.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        LOG.info("metrics at http://{}:{}/metrics", bind, port());
        return this;
    }

    public int port() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
            http = null;
        }
        gc.close();
        registry.close();
    }

    /** Result of a health check. */
    public record Health(boolean up, String detail) {
    }
}
