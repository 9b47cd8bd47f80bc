package io.dancestream.common.service;

import io.dancestream.common.config.KafkaOptions;
import io.dancestream.common.config.MetricsOptions;
import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.metrics.KafkaHealth;
import io.dancestream.common.metrics.MetricsServer;
import io.dancestream.common.metrics.PartitionOwnership;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What every service does at start and stop, in one place: resolve Kafka client config,
 * ensure the topics (bounded wait, clear error), serve /metrics and /health, bind Kafka client
 * metrics (and for Streams apps the partitions this instance owns), and stop on SIGTERM/Ctrl-C.
 *
 * <pre>{@code
 * try (ServiceRuntime rt = ServiceRuntime.start("ingest", serviceOptions, ServicePorts.INGEST_METRICS)) {
 *     ... rt.metrics().stage("ingest") ...; rt.running(true); rt.awaitStop();
 * }
 * }</pre>
 */
public final class ServiceRuntime implements AutoCloseable {

    /** How long a service waits for the broker at start before failing with a clear message. */
    public static final Duration BROKER_WAIT = Duration.ofSeconds(30);

    private final String service;
    private final KafkaClients clients;
    private final Topics topics;
    private final MetricsServer metricsServer;
    private final KafkaHealth health;
    private final PartitionOwnership ownership;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final Thread hook;

    private ServiceRuntime(String service, KafkaClients clients, Topics topics, MetricsServer metricsServer) {
        this.service = service;
        this.clients = clients;
        this.topics = topics;
        this.metricsServer = metricsServer;
        this.ownership = new PartitionOwnership(metricsServer.registry());
        metricsServer.beforeScrape(ownership::refresh);
        this.health = new KafkaHealth(clients.common(), running::get, ownership::summary);
        metricsServer.healthCheck(health);
        this.hook = new Thread(this::requestStop, service + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static ServiceRuntime start(String service, ServiceOptions options, int defaultPort) {
        KafkaOptions kafka = options.kafka();
        MetricsOptions metrics = options.metrics();
        KafkaClients clients = kafka.clients();
        TopicAdmin.ensureTopics(clients.common(), kafka.topicSpecs(), kafka.replicationFactor(), BROKER_WAIT);
        return serve(service, clients, kafka.topics(), metrics.bind(), metrics.port(defaultPort));
    }

    /** For embedding (demo, tests): explicit clients, topics and metrics port (0 = free, -1 = off). */
    public static ServiceRuntime start(String service, KafkaClients clients, Topics topics, String bind, int port) {
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), BROKER_WAIT);
        return serve(service, clients, topics, bind, port);
    }

    private static ServiceRuntime serve(String service, KafkaClients clients, Topics topics, String bind, int port) {
        MetricsServer ms = new MetricsServer(service).start(bind == null ? "0.0.0.0" : bind, port);
        return new ServiceRuntime(service, clients, topics, ms);
    }

    public String service() { return service; }
    public KafkaClients clients() { return clients; }
    public Topics topics() { return topics; }
    public DanceMetrics metrics() { return metricsServer.metrics(); }
    public MetricsServer metricsServer() { return metricsServer; }

    /** Marks the stage as running (or not) for /health. */
    public void running(boolean up) {
        running.set(up);
    }

    public boolean isRunning() {
        return running.get();
    }

    public void bind(Producer<?, ?> producer) {
        KafkaClientMetrics m = new KafkaClientMetrics(producer);
        m.bindTo(metricsServer.registry());
        binders.add(m);
    }

    public void bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(metricsServer.registry());
        binders.add(m);
    }

    /** Binds the app's Kafka metrics, and its owned partitions to /health and {@code dance_partition_owned}. */
    public void bind(KafkaStreams streams) {
        ownership.add(streams);
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams);
        m.bindTo(metricsServer.registry());
        binders.add(m);
    }

    /** Asks the service to stop (what SIGTERM/Ctrl-C does). */
    public void requestStop() {
        stop.countDown();
    }

    /** Blocks until a stop is requested. */
    public void awaitStop() throws InterruptedException {
        stop.await();
    }

    public boolean stopRequested() {
        return stop.getCount() == 0;
    }

    @Override
    public void close() {
        running.set(false);
        stop.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running: nothing to remove
        }
        for (AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception ignored) {
                // best effort at shutdown
            }
        }
        health.close();
        metricsServer.close();
    }
}
