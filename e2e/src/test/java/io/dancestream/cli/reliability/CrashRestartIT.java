package io.dancestream.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.service.ChildJvm;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Rendered;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.transferstream.TransferStreamMain;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * transfer-stream in replay mode, in its own JVM, killed with SIGKILL at random points while it
 * works through a backlog of segments, then started again: dance.rendered (read committed) holds
 * every input exactly once, compared by stream + seq. Exactly-once is configuration only:
 * {@code processing.guarantee=exactly_once_v2} in the {@code --kafka-config} file.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class CrashRestartIT {

    static final int SEGMENTS = 300;
    static final int KILLS = 2;

    @TempDir
    Path dir;

    private static String stream(int seq) {
        return "cam-" + (char) ('a' + seq % 4);
    }

    @Test
    void killedTransferStreamRestartsAndRendersEverySegmentExactlyOnce(EmbeddedKafkaBroker broker) throws Exception {
        KafkaClients clients = broker.clients();
        Topics topics = TestTopics.created(clients, "crash");
        Set<String> inputs = new HashSet<>();
        for (int seq = 0; seq < SEGMENTS; seq++) {
            inputs.add(stream(seq) + "/" + seq);
        }
        // segments keep arriving (about 15/s) while instances are killed, so every kill lands mid-flow
        Thread feeder = new Thread(() -> {
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clients.producer("crash-it"))) {
                for (int seq = 0; seq < SEGMENTS; seq++) {
                    p.send(new ProducerRecord<>(topics.segments(), stream(seq),
                            SyntheticSegments.of(stream(seq), seq, BadInputCorpus.now(), 96, 72).build().toByteArray()));
                    Thread.sleep(66);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "crash-it-feeder");
        Path config = dir.resolve("transfer.properties");
        Properties file = new Properties();
        file.put("bootstrap.servers", broker.bootstrapServers());
        file.put("processing.guarantee", "exactly_once_v2");
        // a killed member must not hold its partitions for the default 45 s
        file.put("session.timeout.ms", "10000");
        file.put("heartbeat.interval.ms", "2000");
        try (Writer w = Files.newBufferedWriter(config)) {
            file.store(w, "transfer-stream under test");
        }
        String[] args = {"--kafka-config", config.toString(), "--topic-prefix", topics.prefix(), "--mode", "replay",
            "--metrics-port", "-1"};
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path log = dir.resolve("transfer-stream.log");
        feeder.setDaemon(true);
        feeder.start();
        try (TopicTail out = new TopicTail(clients.consumer(null), topics.rendered())) {
            int killedAt = 0;
            for (int k = 0; k < KILLS; k++) {
                try (ChildJvm child = ChildJvm.start(log, TransferStreamMain.class.getName(), args)) {
                    // kill at a random moment once this instance has committed renders of its own
                    int before = out.seen().size();
                    out.await(r -> out.seen().size() > before, Duration.ofSeconds(120));
                    out.await(r -> false, Duration.ofMillis(500 + random.nextInt(6000)));
                    assertThat(child.alive()).as("instance %d running", k).isTrue();
                    child.kill();
                    killedAt = out.seen().size();
                    System.out.printf("crash/restart: kill -9 #%d after %d committed renders of %d segments "
                            + "(seed %d)%n", k + 1, killedAt, SEGMENTS, seed);
                }
            }
            feeder.join(120_000);
            try (ChildJvm last = ChildJvm.start(log, TransferStreamMain.class.getName(), args)) {
                out.await(r -> out.seen().size() >= SEGMENTS, Duration.ofSeconds(240));
                out.await(r -> false, Duration.ofSeconds(3)); // anything beyond SEGMENTS would be a duplicate
                assertThat(last.stop()).as("exit code on SIGTERM (0, or 143 when the JVM ends in its hook)").isIn(0, 143);
            }
            Map<String, Integer> n = new HashMap<>();
            for (var r : out.seen()) {
                Rendered x = Rendered.parseFrom(r.value());
                n.merge(x.getStreamId() + "/" + x.getSeq(), 1, Integer::sum);
            }
            System.out.printf("crash/restart: %d segments in, %d renders committed, %d distinct%n", SEGMENTS,
                    out.seen().size(), n.size());
            assertThat(n.keySet()).as("every segment rendered (log: %s)", log).isEqualTo(inputs);
            assertThat(n).as("no segment rendered twice").allSatisfy((k, c) -> assertThat(c).isEqualTo(1));
        }
    }
}
