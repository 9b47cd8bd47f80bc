package io.dancestream.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import io.dancestream.common.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what landed on a real topic, for assertions. */
public final class TestRecords {

    private TestRecords() {
    }

    /**
     * Reads {@code topic} from the beginning until {@code expected} records arrived or
     * {@code timeout} passed (then returns what it has, for the assertion to report).
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(Properties consumerProps, String topic, int expected,
                                                               Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (TopicReader<String, byte[]> reader = TopicReader.open(consumerProps, new StringDeserializer(),
                new ByteArrayDeserializer(), topic, true)) {
            reader.readUntil(timeout, out::add, () -> out.size() >= expected);
            // a short grace read, so an assertion also sees records beyond the expected count
            reader.readUntil(Duration.ofMillis(300), out::add, () -> false);
        }
        return out;
    }
}
