package io.dancestream.broker;

import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServicePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dance broker}: a standalone embedded KRaft broker other terminals can connect to, or with
 * {@code --node-id} and {@code --controller-quorum} one node of a multi-node cluster.
 * With {@code --sasl-plain-user} the client listener is SASL_PLAINTEXT (mechanism PLAIN) and
 * admits only that user; the password comes from a file or an environment variable, never from
 * the command line (where {@code ps} would show it), and is never printed or logged.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a KRaft Kafka broker in this process until Ctrl-C: a single node, or with "
                + "--node-id and --controller-quorum one node of a cluster.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:DANCE_BROKER_PORT:-" + ServicePorts.BROKER + "}",
            description = "Client port on 127.0.0.1 (env DANCE_BROKER_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:DANCE_BROKER_DATA_DIR}",
            description = "Log and metadata directory, kept between runs (env DANCE_BROKER_DATA_DIR; "
                    + "default: a fresh temporary directory).")
    Path dataDir;

    @Option(names = "--topic-prefix", defaultValue = "${env:DANCE_TOPIC_PREFIX:-" + Topics.DEFAULT_PREFIX + "}",
            description = "Create dancestream's topics with this prefix at start (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--no-topics", description = "Do not create dancestream's topics.")
    boolean noTopics;

    @Option(names = "--sasl-plain-user", paramLabel = "USER", defaultValue = "${env:DANCE_BROKER_SASL_USER}",
            description = "Serve clients over SASL_PLAINTEXT with the PLAIN mechanism and admit only this user "
                    + "(env DANCE_BROKER_SASL_USER). The password comes from --sasl-plain-password-file or the "
                    + "environment variable " + PASSWORD_ENV + ", never from the command line.")
    String saslUser;

    @Option(names = "--sasl-plain-password-file", paramLabel = "FILE",
            description = "File whose first line is the password of --sasl-plain-user (default: the environment "
                    + "variable " + PASSWORD_ENV + ").")
    Path saslPasswordFile;

    @Option(names = "--node-id", paramLabel = "N", defaultValue = "${env:DANCE_BROKER_NODE_ID:-1}",
            description = "This node's id in a cluster (env DANCE_BROKER_NODE_ID; default: ${DEFAULT-VALUE}); "
                    + "needs --controller-quorum.")
    int nodeId;

    @Option(names = "--controller-quorum", paramLabel = "ID@HOST:PORT,...", defaultValue = "${env:DANCE_BROKER_CONTROLLER_QUORUM}",
            description = "Run as one node of a multi-node KRaft cluster with this static controller quorum, e.g. "
                    + "1@127.0.0.1:19093,2@127.0.0.1:19094,3@127.0.0.1:19095 (env DANCE_BROKER_CONTROLLER_QUORUM). "
                    + "Every node is broker and controller and listens for controllers on its own entry; start "
                    + "every node with the same quorum ('dance cluster' starts a local one). Internal topics get "
                    + "one replica per node (at most 3), min.insync.replicas=2 from 3 on.")
    String controllerQuorum;

    @Option(names = "--host", defaultValue = "${env:DANCE_BROKER_HOST:-127.0.0.1}",
            description = "Host the client listener binds to and advertises (env DANCE_BROKER_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    /** Environment variable holding the password of {@code --sasl-plain-user}. */
    static final String PASSWORD_ENV = "DANCE_BROKER_SASL_PASSWORD";

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(port).dataDir(dataDir).host(host);
        boolean cluster = controllerQuorum != null && !controllerQuorum.isBlank();
        if (cluster) {
            builder.cluster(nodeId, ControllerQuorum.parse(controllerQuorum));
        } else if (nodeId != 1) {
            throw new IllegalArgumentException("--node-id needs --controller-quorum (a single broker is node 1)");
        }
        boolean sasl = saslUser != null && !saslUser.isBlank();
        if (sasl) {
            builder.saslPlain(Map.of(saslUser, password(saslUser, saslPasswordFile, System.getenv(PASSWORD_ENV))));
        } else if (saslPasswordFile != null) {
            throw new IllegalArgumentException("--sasl-plain-password-file needs --sasl-plain-user");
        }
        EmbeddedKafkaBroker broker = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping broker ...");
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        if (!noTopics && !cluster) {
            TopicAdmin.ensureTopics(broker.clients().common(), new Topics(topicPrefix).specs(), Duration.ofSeconds(30));
        }
        System.out.println("Kafka broker " + (cluster ? "node " + nodeId + " " : "") + "listening on "
                + broker.bootstrapServers() + " (data dir " + broker.dataDir() + "); Ctrl-C stops it.");
        if (cluster) {
            System.out.println("Cluster node: topics are created by the services at start (or by 'dance cluster'), "
                    + "once every node is up, so they get all replicas.");
        }
        if (sasl) {
            System.out.println("Clients authenticate with SASL/PLAIN as " + saslUser + ": pass a --kafka-config file with "
                    + "security.protocol=SASL_PLAINTEXT, sasl.mechanism=PLAIN and sasl.jaas.config "
                    + "(see README, \"Security\").");
        }
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The password of {@code user}: the first line of {@code file} if given, else {@code env}; never blank. */
    static String password(String user, Path file, String env) {
        String pw;
        if (file != null) {
            try {
                pw = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the SASL password file " + file + ": " + e.getMessage(), e);
            }
            if (pw.isBlank()) {
                throw new IllegalArgumentException("the SASL password file " + file + " is empty");
            }
            return pw;
        }
        if (env == null || env.isBlank()) {
            throw new IllegalArgumentException("--sasl-plain-user " + user + " needs a password: set " + PASSWORD_ENV
                    + " or give --sasl-plain-password-file FILE");
        }
        return env;
    }
}
