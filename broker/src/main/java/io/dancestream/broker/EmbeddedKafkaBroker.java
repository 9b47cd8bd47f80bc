package io.dancestream.broker;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.net.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 *
 * <p>With {@link Builder#cluster(int, ControllerQuorum)} it is one node of a multi-node KRaft
 * cluster with a static controller quorum (every node broker and controller); internal topics
 * then get one replica per node (at most 3) and {@code min.insync.replicas=2} from 3 replicas on.
 *
 * <p>With {@link Builder#saslPlain(Map)} the client listener is SASL_PLAINTEXT with the PLAIN
 * mechanism and only the given users get in (the controller listener stays on loopback,
 * unauthenticated). SASL settings are not persisted: a restart of the same data dir must pass
 * them again.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String STATE_FILE = "dance-broker.properties";
    private static final String BROKER_USER = "dance-broker";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    /** This node's id and the cluster's static controller quorum; null quorum = a single standalone node. */
    private final int nodeId;
    private final ControllerQuorum quorum;
    private final String host;
    /** SASL/PLAIN users (name → password), or null for a PLAINTEXT client listener. */
    private final Map<String, String> saslUsers;
    /** The broker's own SASL identity (inter-broker traffic, readiness check, {@link #clients()}). */
    private final String brokerPassword;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, Map<String, String> overrides,
                                Map<String, String> saslUsers, int nodeId, ControllerQuorum quorum, String host) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = overrides;
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.host = host;
        this.saslUsers = saslUsers;
        this.brokerPassword = saslUsers == null ? null : Uuid.randomUuid().toString();
    }

    /** Builder: {@code EmbeddedKafkaBroker.builder().port(19092).dataDir(dir).start()}. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path dataDir;
        private int port;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Map<String, String> saslUsers;
        private int nodeId = 1;
        private ControllerQuorum quorum;
        private String host = "127.0.0.1";

        /**
         * Makes this broker node {@code nodeId} of a multi-node KRaft cluster whose controllers are
         * {@code quorum} (every node is broker and controller; its controller listener is its own
         * entry of the quorum). Every node of the cluster is started with the same quorum, in any
         * order; the cluster id is derived from the quorum, so no id has to be passed around.
         */
        public Builder cluster(int nodeId, ControllerQuorum quorum) {
            if (quorum.voter(nodeId) == null) {
                throw new IllegalArgumentException("node id " + nodeId + " is not in the controller quorum " + quorum);
            }
            this.nodeId = nodeId;
            this.quorum = quorum;
            return this;
        }

        /** Host the client listener binds to and advertises (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

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

        /**
         * Serve clients on a SASL_PLAINTEXT listener (mechanism PLAIN) that admits only these
         * users (name → password). Clients then need {@code security.protocol=SASL_PLAINTEXT},
         * {@code sasl.mechanism=PLAIN} and a {@code sasl.jaas.config}, see {@link #saslClientConfig}.
         */
        public Builder saslPlain(Map<String, String> users) {
            if (users == null || users.isEmpty()) {
                throw new IllegalArgumentException("SASL/PLAIN needs at least one user");
            }
            users.forEach((u, pw) -> {
                checkJaasValue("user name", u);
                checkJaasValue("password of " + u, pw);
                if (!u.matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("SASL user name may hold letters, digits, '.', '_' and '-', not " + u);
                }
                if (BROKER_USER.equals(u)) {
                    throw new IllegalArgumentException("SASL user name " + BROKER_USER + " is the broker's own");
                }
            });
            this.saslUsers = Map.copyOf(users);
            return this;
        }

        public EmbeddedKafkaBroker start() {
            if (quorum != null && saslUsers != null) {
                throw new IllegalArgumentException("SASL/PLAIN is for the single-node broker, not a cluster node");
            }
            try {
                Path dir = dataDir != null ? dataDir : Files.createTempDirectory("dance-broker-");
                Files.createDirectories(dir);
                Properties state = loadState(dir);
                int p = port != 0 ? port : Integer.parseInt(state.getProperty("port", String.valueOf(FreePorts.pick())));
                int c = quorum != null ? quorum.voter(nodeId).port()
                        : Integer.parseInt(state.getProperty("controller.port", String.valueOf(FreePorts.pick())));
                EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, p, c, Map.copyOf(overrides), saslUsers, nodeId,
                        quorum, host);
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
        if (saslUsers != null) {
            // it holds the users' passwords: owner only, where the file system knows owners
            try {
                Files.setPosixFilePermissions(propsFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                LOG.debug("cannot restrict {} to its owner", propsFile);
            }
        }
        if (!Files.exists(logs.resolve("meta.properties"))) {
            String clusterId = state.getProperty("cluster.id",
                    quorum != null ? quorum.clusterId() : Uuid.randomUuid().toString());
            format(propsFile, clusterId);
            state.setProperty("cluster.id", clusterId);
        }
        if (saslUsers != null) {
            // it held the users' passwords and only the formatting reads it: the server runs from
            // the properties in memory, so nothing secret stays in the data dir
            Files.deleteIfExists(propsFile);
        }
        state.setProperty("port", String.valueOf(port));
        state.setProperty("controller.port", String.valueOf(controllerPort));
        try (Writer w = Files.newBufferedWriter(dataDir.resolve(STATE_FILE))) {
            state.store(w, "ports and cluster id of this data dir");
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        // a cluster node answers once a majority of the quorum is up: its siblings may start later
        awaitReady(Duration.ofSeconds(quorum == null ? 60 : 180));
        LOG.info("embedded Kafka broker {} ready at {} (data dir {})", quorum == null ? "" : "node " + nodeId,
                bootstrapServers(), dataDir);
    }

    private Properties brokerProperties(Path logs) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        String controllerHost = "127.0.0.1";
        if (quorum == null) {
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        } else {
            // a static quorum: every node knows every voter from its config
            p.put("controller.quorum.voters", quorum.toString());
            controllerHost = quorum.voter(nodeId).host();
        }
        String client = saslUsers == null ? "PLAINTEXT" : SASL_LISTENER;
        p.put("listeners", client + "://" + host + ":" + port + ",CONTROLLER://" + controllerHost + ":" + controllerPort);
        p.put("advertised.listeners", client + "://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        if (saslUsers != null) {
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            // the broker's own login plus one user_NAME="password" entry per admitted user
            StringBuilder jaas = new StringBuilder(PLAIN_LOGIN_MODULE + " required username=\"" + BROKER_USER
                    + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\"");
            saslUsers.forEach((u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
            p.put("listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                    jaas.append(';').toString());
        }
        p.put("log.dirs", logs.toString());
        // internal topics (offsets, transactions, Streams' changelogs) get one replica per node, at
        // most 3, and with 3 an acknowledged write is on 2 of them: one node may be lost
        String rf = String.valueOf(replicas());
        String minIsr = String.valueOf(TopicAdmin.minInSyncReplicas(replicas()));
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
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

    /** Replicas of internal topics: one per node of the quorum, at most 3. */
    private int replicas() {
        return quorum == null ? 1 : Math.min(3, quorum.size());
    }

    private void format(Path propsFile, String clusterId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        // a single node formats itself as a standalone (dynamic) quorum; a cluster node's quorum is
        // the static controller.quorum.voters of its config
        String[] args = quorum == null
                ? new String[] {"format", "--config", propsFile.toString(), "--cluster-id", clusterId, "--standalone",
                    "--ignore-formatted"}
                : new String[] {"format", "--config", propsFile.toString(), "--cluster-id", clusterId,
                    "--ignore-formatted"};
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool$.MODULE$.execute(args, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting broker storage failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady(Duration timeout) {
        Properties p = clients().common();
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

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int nodeId() {
        return nodeId;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Client properties for this broker: plain, or with SASL the broker's own identity (for
     * test set-up; services get their users' credentials from a client config file).
     */
    public KafkaClients clients() {
        Properties p = saslUsers == null ? new Properties() : saslClientConfig(BROKER_USER, brokerPassword);
        p.put("bootstrap.servers", bootstrapServers());
        return KafkaClients.of(p);
    }

    /** True when clients must authenticate (SASL_PLAINTEXT listener). */
    public boolean sasl() {
        return saslUsers != null;
    }

    /**
     * The client settings of a SASL/PLAIN login (no bootstrap address): what a user puts in the
     * file given to {@code --kafka-config}.
     */
    public static Properties saslClientConfig(String user, String password) {
        checkJaasValue("user name", user);
        checkJaasValue("password", password);
        Properties p = new Properties();
        p.put("security.protocol", SASL_LISTENER);
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", PLAIN_LOGIN_MODULE + " required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    /** JAAS values are quoted; a quote or backslash inside would end or escape the quote. */
    private static void checkJaasValue(String what, String value) {
        if (value == null || value.isEmpty() || value.contains("\"") || value.contains("\\")) {
            throw new IllegalArgumentException(what + " must be non-empty without '\"' or '\\'");
        }
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
