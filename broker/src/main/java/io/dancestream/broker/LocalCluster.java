package io.dancestream.broker;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.net.FreePorts;
import io.dancestream.common.service.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A local multi-node KRaft cluster, each node ({@code dance broker --node-id N
 * --controller-quorum ...}) in its own JVM with its own data dir and log: what {@code dance
 * cluster} runs, and what the fault tests kill a node of with SIGKILL and start again.
 */
public final class LocalCluster implements AutoCloseable {

    /** Heap of one broker node: Kafka needs little; frames pass through the page cache. */
    static final String NODE_HEAP = "512m";

    private final Path dir;
    private final ControllerQuorum quorum;
    private final List<Integer> clientPorts;
    private final Map<Integer, ChildJvm> nodes = new TreeMap<>();

    private LocalCluster(Path dir, ControllerQuorum quorum, List<Integer> clientPorts) {
        this.dir = dir;
        this.quorum = quorum;
        this.clientPorts = clientPorts;
    }

    /**
     * Starts {@code n} nodes on 127.0.0.1, client ports {@code firstPort ...}, controller ports
     * {@code firstControllerPort ...}, data in {@code dir/node-N}, logs in {@code dir/node-N.log}.
     * Returns once every node is a registered broker (or throws, naming the node logs).
     */
    public static LocalCluster start(Path dir, int n, int firstPort, int firstControllerPort, Duration wait)
            throws IOException, InterruptedException {
        if (n < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + n);
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(firstPort + i);
        }
        return start(dir, ControllerQuorum.local(n, firstControllerPort), ports, wait);
    }

    /** {@code n} nodes on free ports (tests). */
    public static LocalCluster startOnFreePorts(Path dir, int n, Duration wait) throws IOException, InterruptedException {
        List<Integer> ports = new ArrayList<>();
        List<ControllerQuorum.Voter> voters = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ports.add(FreePorts.pick());
            voters.add(new ControllerQuorum.Voter(i, "127.0.0.1", FreePorts.pick()));
        }
        return start(dir, new ControllerQuorum(voters), ports, wait);
    }

    private static LocalCluster start(Path dir, ControllerQuorum quorum, List<Integer> ports, Duration wait)
            throws IOException, InterruptedException {
        int n = ports.size();
        Files.createDirectories(dir);
        LocalCluster c = new LocalCluster(dir, quorum, ports);
        try {
            for (int id = 1; id <= n; id++) {
                c.startNode(id);
            }
            c.awaitBrokers(n, wait);
        } catch (RuntimeException | IOException | InterruptedException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Starts node {@code id} (again, after {@link #kill}: same data dir, same ports). */
    public void startNode(int id) throws IOException {
        ChildJvm old = nodes.get(id);
        if (old != null && old.alive()) {
            throw new IllegalStateException("node " + id + " is running");
        }
        nodes.put(id, ChildJvm.startWithHeap(dir.resolve("node-" + id + ".log"), NODE_HEAP, BrokerMain.class.getName(),
                "--node-id", Integer.toString(id), "--controller-quorum", quorum.toString(),
                "--port", Integer.toString(clientPorts.get(id - 1)), "--data-dir", dir.resolve("node-" + id).toString(),
                "--no-topics"));
    }

    /** kill -9 of node {@code id}: no controlled shutdown, its leaderships move when the quorum notices. */
    public void kill(int id) throws InterruptedException {
        nodes.get(id).kill();
    }

    /** Waits until {@code n} brokers are registered with the controllers. */
    public void awaitBrokers(int n, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Properties p = clients().common();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        int seen = 0;
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                for (var e : nodes.entrySet()) {
                    if (!e.getValue().alive()) {
                        throw new IllegalStateException("broker node " + e.getKey() + " exited; see " + e.getValue().log());
                    }
                }
                try {
                    seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (seen >= n) {
                        return;
                    }
                } catch (Exception notYet) {
                    // nodes still starting
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(seen + " of " + n + " brokers registered after " + wait.toSeconds()
                + " s; see the node logs in " + dir);
    }

    public String bootstrapServers() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public KafkaClients clients() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return KafkaClients.of(p);
    }

    public ControllerQuorum quorum() {
        return quorum;
    }

    public Path dir() {
        return dir;
    }

    public int size() {
        return clientPorts.size();
    }

    /** SIGTERM to every node (controlled shutdown), SIGKILL after a minute. */
    public void stop() throws InterruptedException {
        for (ChildJvm n : nodes.values()) {
            if (n.alive()) {
                n.stop();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildJvm n : nodes.values()) {
            n.close();
        }
    }
}
