package io.dancestream.broker;

import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance cluster}: a local multi-node KRaft cluster for trying scale-out and failover on one
 * machine, each node a {@code dance broker --node-id N --controller-quorum ...} in its own process
 * (kill one with {@code kill -9 PID} and start it again with the printed command).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Run a local KRaft cluster of --nodes brokers, each in its own process, until Ctrl-C; "
                + "creates dancestream's topics with one replica per node (at most 3) and min.insync.replicas=2.",
            "  dance cluster --data-dir /tmp/dance-cluster",
            "  dance segment-stream --bootstrap-servers 127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094"})
public final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "Broker nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--port", defaultValue = "19092",
            description = "Client port of node 1; node N listens on port + N - 1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "19192",
            description = "Controller port of node 1; node N on controller-port + N - 1 (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--data-dir", description = "Where node N keeps node-N/ and node-N.log, kept between runs "
            + "(default: a fresh temporary directory).")
    Path dataDir;

    @Option(names = "--topic-prefix", defaultValue = "${env:DANCE_TOPIC_PREFIX:-" + Topics.DEFAULT_PREFIX + "}",
            description = "Create dancestream's topics with this prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--partitions", defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description = "Partitions of the per-stream topics; they cap how many instances of a streams app share "
                    + "the work (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--no-topics", description = "Do not create dancestream's topics.")
    boolean noTopics;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("dance-cluster-");
        LocalCluster cluster = LocalCluster.start(dir, nodes, port, controllerPort, Duration.ofMinutes(3));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping the cluster ...");
            try {
                cluster.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "cluster-shutdown"));
        if (!noTopics) {
            TopicAdmin.ensureTopics(cluster.clients().common(), new Topics(topicPrefix).specs(partitions),
                    TopicAdmin.AUTO, Duration.ofSeconds(60));
        }
        System.out.println("Kafka cluster of " + nodes + " nodes up: --bootstrap-servers " + cluster.bootstrapServers());
        System.out.println("controller quorum " + cluster.quorum() + "; data and node logs in " + dir);
        System.out.println("Restart a killed node N with: dance broker --node-id N --controller-quorum " + cluster.quorum()
                + " --port " + port + "+N-1 --data-dir " + dir.resolve("node-N") + " --no-topics");
        System.out.println("Ctrl-C stops every node.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
