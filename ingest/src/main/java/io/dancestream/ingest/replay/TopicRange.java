package io.dancestream.ingest.replay;

import io.dancestream.common.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A bounded slice of a recorded topic: per partition, from a start offset (the beginning, an
 * offset, or the first record at/after a time) to the end offset seen when reading starts
 * (or an end offset), so replay and export finish even while producers keep writing.
 */
public final class TopicRange {

    final Map<TopicPartition, Long> start = new HashMap<>();
    final Map<TopicPartition, Long> stop = new HashMap<>();

    private TopicRange() {
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

    /**
     * Consumer settings for reading a range: no group offsets committed (it assigns, never
     * subscribes) and only committed records, so aborted transactions are not copied.
     */
    public static Properties readerProps(KafkaClients clients) {
        Properties p = clients.consumer(null);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * @param fromOffset first offset per partition, or null
     * @param toOffset   last offset (inclusive) per partition, or null
     * @param fromTime   first record timestamp, or null
     */
    public static TopicRange of(Consumer<?, ?> consumer, String topic, Long fromOffset, Long toOffset, Instant fromTime) {
        List<TopicPartition> parts = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        for (PartitionInfo p : infos) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        Map<TopicPartition, OffsetAndTimestamp> byTime = null;
        if (fromTime != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(tp -> query.put(tp, fromTime.toEpochMilli()));
            byTime = consumer.offsetsForTimes(query);
        }
        TopicRange r = new TopicRange();
        for (TopicPartition tp : parts) {
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
            if (s < e) {
                r.start.put(tp, s);
                r.stop.put(tp, e);
            }
        }
        return r;
    }

    /** Assigns the consumer to the non-empty partitions and seeks to their starts. */
    public void assign(Consumer<?, ?> consumer) {
        consumer.assign(start.keySet());
        start.forEach(consumer::seek);
    }

    boolean isEmpty() {
        return start.isEmpty();
    }

    /** Records in the range (an upper bound of what a stream filter lets through). */
    long size() {
        long n = 0;
        for (var e : start.entrySet()) {
            n += stop.get(e.getKey()) - e.getValue();
        }
        return n;
    }

    public boolean contains(TopicPartition tp, long offset) {
        Long e = stop.get(tp);
        return e != null && offset < e;
    }

    /** True when the consumer has read every partition up to its stop offset. */
    public boolean done(Consumer<?, ?> consumer) {
        for (var e : stop.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
