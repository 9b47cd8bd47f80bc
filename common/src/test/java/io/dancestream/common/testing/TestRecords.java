package io.dancestream.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

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
        Properties p = new Properties();
        p.putAll(consumerProps);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            var parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // a short grace poll, so an assertion also sees records beyond the expected count
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}
