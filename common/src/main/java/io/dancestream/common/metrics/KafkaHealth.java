package io.dancestream.common.metrics;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Health of a service: Kafka reachable (a cluster describe, cached for a few seconds so a
 * scraping health probe does not hammer the broker) and the stage running; for a Streams app
 * also the partitions this instance owns.
 */
public final class KafkaHealth implements Supplier<MetricsServer.Health>, AutoCloseable {

    private static final long CACHE_NANOS = Duration.ofSeconds(3).toNanos();

    private final Admin admin;
    private final BooleanSupplier running;
    private final Supplier<String> detail;
    private MetricsServer.Health last;
    private long lastAt;

    public KafkaHealth(Properties clientProps, BooleanSupplier running) {
        this(clientProps, running, () -> "");
    }

    /** @param detail more to say on /health (the partitions this instance owns), "" for nothing */
    public KafkaHealth(Properties clientProps, BooleanSupplier running, Supplier<String> detail) {
        this.detail = detail;
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "dance-health");
        this.admin = Admin.create(p);
        this.running = running;
    }

    @Override
    public synchronized MetricsServer.Health get() {
        long now = System.nanoTime();
        if (last == null || now - lastAt >= CACHE_NANOS) {
            last = check();
            lastAt = now;
        }
        String more = detail.get();
        // ownership changes with every rebalance: never served from the cache
        return more.isEmpty() ? last : new MetricsServer.Health(last.up(), last.detail() + " " + more);
    }

    private MetricsServer.Health check() {
        boolean kafka;
        try {
            admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
            kafka = true;
        } catch (Exception e) {
            kafka = false;
        }
        boolean stage = running.getAsBoolean();
        return new MetricsServer.Health(kafka && stage,
                "kafka=" + (kafka ? "reachable" : "unreachable") + " stage=" + (stage ? "running" : "stopped"));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
