package io.dancestream.cli.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Everything written to some topics since the start, read by a plain consumer as the test polls. */
final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    /** System.nanoTime() when each record of {@link #seen} was polled. */
    private final List<Long> arrivals = new ArrayList<>();

    TopicTail(Properties consumerProps, String... topics) {
        Properties p = new Properties();
        p.putAll(consumerProps);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t, Duration.ofSeconds(30))
                    .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Each partition's end offset now (read_committed: the last stable offset), by partition number. */
    java.util.Map<Integer, Long> endOffsets() {
        java.util.Map<Integer, Long> out = new java.util.HashMap<>();
        consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30)).forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }

    /** Polls once (up to {@code wait}) and returns everything seen so far. */
    List<ConsumerRecord<String, byte[]>> poll(Duration wait) {
        var records = consumer.poll(wait);
        long now = System.nanoTime();
        records.forEach(r -> {
            seen.add(r);
            arrivals.add(now);
        });
        return seen;
    }

    /** Polls until a record matches or the timeout passes; the match or null. */
    ConsumerRecord<String, byte[]> await(Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        do {
            List<ConsumerRecord<String, byte[]>> all = poll(Duration.ofMillis(100));
            for (int i = from; i < all.size(); i++) {
                if (match.test(all.get(i))) {
                    return all.get(i);
                }
            }
            from = 0; // a record may have arrived on another partition before; rescan all
        } while (System.nanoTime() < deadline);
        return null;
    }

    List<ConsumerRecord<String, byte[]>> seen() {
        return seen;
    }

    /** When record {@code i} of {@link #seen()} was polled (System.nanoTime()). */
    long arrival(int i) {
        return arrivals.get(i);
    }

    static String header(ConsumerRecord<String, byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
