package io.dancestream.cli.demo;

import io.dancestream.common.kafka.KafkaClients;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Counts one stream's committed records on a topic, waiting for an expected count. */
final class TopicCounter {

    private final KafkaClients clients;
    private final String topic;
    private final String streamId;

    TopicCounter(KafkaClients clients, String topic, String streamId) {
        this.clients = clients;
        this.topic = topic;
        this.streamId = streamId;
    }

    /** Returns the count once it reaches {@code expected}; fails with the count seen after {@code timeout}. */
    long awaitCount(long expected, Duration timeout, PrintStream progress) {
        Properties p = clients.consumer(null);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long count = 0;
        long lastReport = System.nanoTime();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + count + " of " + expected + " records of stream "
                            + streamId + " reached " + topic + " within " + timeout.toSeconds() + " s");
                }
                for (var r : c.poll(Duration.ofMillis(250))) {
                    if (streamId.equals(r.key())) {
                        count++;
                    }
                }
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    progress.printf("    %d / %d on %s%n", count, expected, topic);
                    lastReport = System.nanoTime();
                }
            }
        }
        return count;
    }
}
