package io.dancestream.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Which input partitions this instance's Streams apps own now, for {@code /health} and for
 * {@code dance_partition_owned{app, topic, partition, role}} (1 per partition, role {@code active}
 * or {@code standby}), so an operator running several instances sees how they split the work.
 * Read fresh at every scrape and health request: a rebalance changes it at any time.
 */
public final class PartitionOwnership {

    /** A stream thread's name: {@code <application id>-<process uuid>-StreamThread-<n>} unless client.id is set. */
    private static final Pattern THREAD_SUFFIX = Pattern.compile(
            "(-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?-StreamThread-\\d+$");

    private final List<KafkaStreams> streams = new CopyOnWriteArrayList<>();
    private final MultiGauge gauge;

    public PartitionOwnership(MeterRegistry registry) {
        this.gauge = MultiGauge.builder("dance.partition.owned")
                .description("1 for each input partition a Streams app of this instance owns (role active or standby)")
                .register(registry);
    }

    public void add(KafkaStreams s) {
        streams.add(s);
    }

    /** One owned partition of one app. */
    public record Owned(String app, String role, TopicPartition partition) {
    }

    public List<Owned> owned() {
        List<Owned> out = new ArrayList<>();
        for (KafkaStreams s : streams) {
            Set<ThreadMetadata> threads;
            try {
                threads = s.metadataForLocalThreads();
            } catch (RuntimeException notRunning) {
                continue;
            }
            for (ThreadMetadata t : threads) {
                String app = THREAD_SUFFIX.matcher(t.threadName()).replaceFirst("");
                add(out, app, "active", t.activeTasks());
                add(out, app, "standby", t.standbyTasks());
            }
        }
        return out;
    }

    private static void add(List<Owned> out, String app, String role, Set<TaskMetadata> tasks) {
        for (TaskMetadata task : tasks) {
            for (TopicPartition tp : task.topicPartitions()) {
                out.add(new Owned(app, role, tp));
            }
        }
    }

    /** Re-registers the gauge rows from the current assignment (rows of lost partitions disappear). */
    public void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Owned o : owned()) {
            rows.add(MultiGauge.Row.of(Tags.of("app", o.app(), "role", o.role(), "topic", o.partition().topic(),
                    "partition", Integer.toString(o.partition().partition())), 1));
        }
        gauge.register(rows, true);
    }

    /** {@code active=[t-0, t-2] standby=[u-1]} over every app, sorted; empty when no app is bound. */
    public String summary() {
        if (streams.isEmpty()) {
            return "";
        }
        Set<String> active = new TreeSet<>();
        Set<String> standby = new TreeSet<>();
        for (Owned o : owned()) {
            ("active".equals(o.role()) ? active : standby).add(o.partition().toString());
        }
        return "partitions active=" + active + " standby=" + standby;
    }
}
