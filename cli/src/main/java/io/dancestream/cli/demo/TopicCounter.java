package io.dancestream.cli.demo;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicReader;
import java.io.PrintStream;
import java.time.Duration;

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
        long[] count = {0};
        long[] lastReport = {System.nanoTime()};
        try (TopicReader<String, byte[]> reader = TopicReader.open(clients, topic, true)) {
            boolean reached = reader.readUntil(timeout, r -> {
                if (streamId.equals(r.key())) {
                    count[0]++;
                }
            }, () -> {
                if (System.nanoTime() - lastReport[0] > 5_000_000_000L) {
                    progress.printf("    %d / %d on %s%n", count[0], expected, topic);
                    lastReport[0] = System.nanoTime();
                }
                return count[0] >= expected;
            });
            if (!reached) {
                throw new IllegalStateException("only " + count[0] + " of " + expected + " records of stream "
                        + streamId + " reached " + topic + " within " + timeout.toSeconds() + " s");
            }
        }
        return count[0];
    }
}
