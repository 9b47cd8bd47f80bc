package io.dancestream.common.testing;

import io.dancestream.common.kafka.Topics;
import java.util.concurrent.atomic.AtomicInteger;

/** Topic names a test owns alone on the shared broker. */
public final class TestTopics {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestTopics() {
    }

    /** A prefix such as {@code t3-roundtrip.dance.}, unique within the run. */
    public static String uniquePrefix(String testName) {
        return "t" + COUNTER.incrementAndGet() + "-" + testName + "." + Topics.DEFAULT_PREFIX;
    }

    public static Topics unique(String testName) {
        return new Topics(uniquePrefix(testName));
    }
}
