package io.dancestream.common.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic, every partition, from the beginning: the one way the project reads a topic
 * outside a Streams app. It assigns, never subscribes, and commits nothing, so reading leaves no
 * trace on the cluster. A topic written in transactions is read {@code read_committed}, so a record
 * of an aborted transaction is never seen. Two ways to read:
 * <ul>
 * <li>{@link #snapshot}: the records up to the end offsets as of the call, so a reader finishes
 *     even while producers keep writing (replay, export, the trainer's dataset);</li>
 * <li>{@link #readUntil}: records as they come, until a condition holds or time runs out (waiting
 *     for a pipeline's output).</li>
 * </ul>
 */
public final class TopicReader<K, V> implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<K, V> consumer;
    private final String topic;
    private final List<TopicPartition> partitions;

    private TopicReader(KafkaConsumer<K, V> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Keys as text, values as bytes (protobuf records are decoded by the caller, bad ones to its DLQ). */
    public static TopicReader<String, byte[]> open(KafkaClients clients, String topic, boolean readCommitted) {
        return open(clients.consumer(null), new StringDeserializer(), new ByteArrayDeserializer(), topic,
                readCommitted);
    }

    public static <K, V> TopicReader<K, V> open(Properties consumerProps, Deserializer<K> keys, Deserializer<V> values,
                                                String topic, boolean readCommitted) {
        Properties p = new Properties();
        p.putAll(consumerProps);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        KafkaConsumer<K, V> c = new KafkaConsumer<>(p, keys, values);
        try {
            return new TopicReader<>(c, topic);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Fails with a clear sentence when a topic does not exist. A topic created a moment ago
     * can take a while to show in the broker's metadata, so a missing one is looked for again
     * for a few seconds before giving up.
     */
    public static void requireTopics(java.util.Properties adminProps, String... topics) {
        try (Admin admin = Admin.create(adminProps)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                String missing = null;
                for (String t : topics) {
                    if (!names.contains(t)) {
                        missing = t;
                        break;
                    }
                }
                if (missing == null) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalArgumentException("topic " + missing + " does not exist on "
                            + adminProps.get("bootstrap.servers") + ": check the name (and --topic-prefix)");
                }
                Thread.sleep(250);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + adminProps.get("bootstrap.servers")
                    + " did not answer: start one (e.g. './dance broker') or pass --bootstrap-servers HOST:PORT", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String topic() {
        return topic;
    }

    /** The topic's partitions, in the broker's order. */
    public List<TopicPartition> partitions() {
        return partitions;
    }

    /** The whole topic as of now. */
    public Snapshot<K, V> snapshot() {
        return snapshot(null, null, null);
    }

    /**
     * Per partition, from the beginning (or {@code fromOffset}, or the first record at/after
     * {@code fromTime}, whichever is later) to the end offset as of this call (or {@code toOffset},
     * inclusive, whichever is earlier). Each may be null.
     */
    public Snapshot<K, V> snapshot(Long fromOffset, Long toOffset, Instant fromTime) {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> byTime = null;
        if (fromTime != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, fromTime.toEpochMilli()));
            byTime = consumer.offsetsForTimes(query);
        }
        Map<TopicPartition, Long> start = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        Map<TopicPartition, Long> stop = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        for (TopicPartition tp : partitions) {
            long s = begin.get(tp);
            if (fromOffset != null) {
                s = Math.max(s, fromOffset);
            }
            if (byTime != null) {
                OffsetAndTimestamp o = byTime.get(tp);
                s = Math.max(s, o == null ? end.get(tp) : o.offset());
            }
            long e = end.get(tp);
            if (toOffset != null) {
                e = Math.min(e, toOffset + 1);
            }
            if (s < e) { // an empty range is left out: seeking past a partition's end would reset the position
                start.put(tp, s);
                stop.put(tp, e);
            }
        }
        Map<TopicPartition, Long> sortedEnd = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        sortedEnd.putAll(end);
        return new Snapshot<>(consumer, start, stop, sortedEnd);
    }

    /**
     * Hands each record, from where the reader stands (the beginning when opened), to {@code visit}
     * until {@code done} holds (asked after every poll) or {@code timeout} passes.
     *
     * @return whether {@code done} held
     */
    public boolean readUntil(Duration timeout, Consumer<ConsumerRecord<K, V>> visit, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            consumer.poll(POLL).forEach(visit);
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** A fixed range of the topic, read by {@link #forEach} (from its start on every call) or {@link #poll}. */
    public static final class Snapshot<K, V> {
        private final KafkaConsumer<K, V> consumer;
        private final Map<TopicPartition, Long> start;
        private final Map<TopicPartition, Long> stop;
        private final Map<TopicPartition, Long> endOffsets;

        private Snapshot(KafkaConsumer<K, V> consumer, Map<TopicPartition, Long> start, Map<TopicPartition, Long> stop,
                         Map<TopicPartition, Long> endOffsets) {
            this.consumer = consumer;
            this.start = start;
            this.stop = stop;
            this.endOffsets = endOffsets;
            rewind();
        }

        /** The topic's end offsets when the snapshot was taken, in partition order (e.g. to key a cache). */
        public Map<TopicPartition, Long> endOffsets() {
            return endOffsets;
        }

        /** Records in the range (an upper bound of what a caller's filter lets through). */
        public long size() {
            long n = 0;
            for (var e : start.entrySet()) {
                n += stop.get(e.getKey()) - e.getValue();
            }
            return n;
        }

        public boolean isEmpty() {
            return size() == 0;
        }

        /** Every record of the range, in poll order. */
        public void forEach(Consumer<ConsumerRecord<K, V>> visit) {
            forEach(visit, () -> false);
        }

        /** Every record of the range, in poll order, until {@code stop} holds (asked before every poll). */
        public void forEach(Consumer<ConsumerRecord<K, V>> visit, BooleanSupplier stop) {
            rewind();
            while (!done() && !stop.getAsBoolean()) {
                poll().forEach(visit);
            }
        }

        /** Back to the start of the range (where a new snapshot stands), to read it again. */
        public void rewind() {
            consumer.assign(start.keySet()); // only the partitions with records in range
            start.forEach(consumer::seek);
        }

        /** The next records of the range, for a caller's own loop: {@code while (!s.done()) for (r : s.poll())}. */
        public List<ConsumerRecord<K, V>> poll() {
            List<ConsumerRecord<K, V>> out = new java.util.ArrayList<>();
            for (ConsumerRecord<K, V> r : consumer.poll(POLL)) {
                Long e = stop.get(new TopicPartition(r.topic(), r.partition()));
                if (e != null && r.offset() < e) {
                    out.add(r);
                }
            }
            return out;
        }

        /** Whether every partition has been read to its stop offset. */
        public boolean done() {
            for (var e : stop.entrySet()) {
                if (consumer.position(e.getKey()) < e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }
}
