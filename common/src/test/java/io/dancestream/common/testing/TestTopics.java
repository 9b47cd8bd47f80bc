package io.dancestream.common.testing;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Topic names a test owns alone on the shared broker. */
public final class TestTopics {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** How long {@link #created} waits for the broker to create the topics. */
    private static final Duration CREATE_WAIT = Duration.ofSeconds(30);

    private TestTopics() {
    }

    /** A prefix such as {@code t3-roundtrip.dance.}, unique within the run. */
    public static String uniquePrefix(String testName) {
        return "t" + COUNTER.incrementAndGet() + "-" + testName + "." + Topics.DEFAULT_PREFIX;
    }

    public static Topics unique(String testName) {
        return new Topics(uniquePrefix(testName));
    }

    /**
     * {@link #unique} topics, created on the broker of {@code clients} with their specs (as a service
     * creates them at start): the usual first step of a test on a real broker.
     */
    public static Topics created(KafkaClients clients, String testName) {
        Topics topics = unique(testName);
        TopicAdmin.ensureTopics(clients.common(), topics.specs(), CREATE_WAIT);
        return topics;
    }
}
