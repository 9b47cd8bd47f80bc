package io.dancestream.common.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) started in-process from
 * the Maven jars: the storage is formatted with Kafka's StorageTool ({@code format --standalone}),
 * then {@link KafkaRaftServer} runs it. The data dir may persist between runs; its ports and
 * cluster id are kept in {@code dance-broker.properties} so a restart finds the same quorum.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String STATE_FILE = "dance-broker.properties";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
    }

    /** Builder: {@code EmbeddedKafkaBroker.builder().port(19092).dataDir(dir).start()}. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path dataDir;
        private int port;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        /** Client port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where logs and metadata live; null (default) means a fresh temporary dir. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** A broker config override, e.g. listener security settings for a SASL test. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker start() {
            try {
                Path dir = dataDir != null ? dataDir : Files.createTempDirectory("dance-broker-");
                Files.createDirectories(dir);
                Properties state = loadState(dir);
                int p = port != 0 ? port : Integer.parseInt(state.getProperty("port", String.valueOf(freePort())));
                int c = Integer.parseInt(state.getProperty("controller.port", String.valueOf(freePort())));
                EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, p, c, Map.copyOf(overrides));
                broker.startServer(state);
                return broker;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare broker data dir: " + e.getMessage(), e);
            }
        }
    }

    private void startServer(Properties state) throws IOException {
        Path logs = dataDir.resolve("logs");
        Properties props = brokerProperties(logs);
        Path propsFile = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(propsFile)) {
            props.store(w, "written by dancestream EmbeddedKafkaBroker");
        }
        if (!Files.exists(logs.resolve("meta.properties"))) {
            String clusterId = state.getProperty("cluster.id", Uuid.randomUuid().toString());
            format(propsFile, clusterId);
            state.setProperty("cluster.id", clusterId);
        }
        state.setProperty("port", String.valueOf(port));
        state.setProperty("controller.port", String.valueOf(controllerPort));
        try (Writer w = Files.newBufferedWriter(dataDir.resolve(STATE_FILE))) {
            state.store(w, "ports and cluster id of this data dir");
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
        LOG.info("embedded Kafka broker ready at {} (data dir {})", bootstrapServers(), dataDir);
    }

    private Properties brokerProperties(Path logs) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logs.toString());
        // a single node: every internal topic has one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // the default 128 MB dedupe buffer is wasted on a demo broker
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("message.max.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES));
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.putAll(overrides);
        return p;
    }

    private static void format(Path propsFile, String clusterId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool$.MODULE$.execute(new String[] {
                "format", "--config", propsFile.toString(), "--cluster-id", clusterId, "--standalone",
                "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting broker storage failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady(Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("default.api.timeout.ms", (int) timeout.toMillis());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded broker did not become ready: " + e.getMessage(), e);
        }
    }

    private static Properties loadState(Path dir) throws IOException {
        Properties state = new Properties();
        Path f = dir.resolve(STATE_FILE);
        if (Files.exists(f)) {
            try (Reader r = Files.newBufferedReader(f)) {
                state.load(r);
            }
        }
        return state;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Client properties for this broker (PLAINTEXT listener). */
    public KafkaClients clients() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return KafkaClients.of(p);
    }

    /** Blocks until the broker has shut down (e.g. by {@link #close()} from a shutdown hook). */
    public void awaitShutdown() {
        KafkaRaftServer s = server;
        if (s != null) {
            s.awaitShutdown();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
