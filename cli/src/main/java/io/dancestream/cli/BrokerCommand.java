package io.dancestream.cli;

import io.dancestream.common.kafka.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServicePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dance broker}: a standalone embedded KRaft broker other terminals can connect to. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node KRaft Kafka broker in this process until Ctrl-C.")
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

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(port).dataDir(dataDir).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping broker ...");
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        if (!noTopics) {
            TopicAdmin.ensureTopics(broker.clients().common(), new Topics(topicPrefix).specs(), Duration.ofSeconds(30));
        }
        System.out.println("Kafka broker listening on " + broker.bootstrapServers() + " (data dir "
                + broker.dataDir() + "); Ctrl-C stops it.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
