package io.dancestream.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The idempotent "ensure topics" step every service runs at start. */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /** Replication factor {@link #AUTO}: as many replicas as the cluster has brokers, at most 3. */
    public static final int AUTO = 0;
    static final int MAX_AUTO_REPLICAS = 3;

    /** {@link #ensureTopics(Properties, List, int, Duration)} with the replication factor the cluster can hold. */
    public static void ensureTopics(Properties clientProps, List<Topics.TopicSpec> specs, Duration wait) {
        ensureTopics(clientProps, specs, AUTO, wait);
    }

    /**
     * Creates the missing topics of {@code specs}; existing topics are left as they are.
     *
     * @param replicationFactor replicas of each new topic, or {@link #AUTO}: one per broker, at most 3.
     *        New topics also get {@code min.insync.replicas} = {@link #minInSyncReplicas}, so with 3
     *        replicas an acknowledged write (acks=all) is on 2 brokers and one broker may be lost.
     * @throws BrokerUnreachableException when no broker answers within {@code wait}
     */
    public static void ensureTopics(Properties clientProps, List<Topics.TopicSpec> specs, int replicationFactor,
                                    Duration wait) {
        Properties props = new Properties();
        props.putAll(clientProps);
        int ms = (int) Math.min(Integer.MAX_VALUE, wait.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 10_000));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            List<Topics.TopicSpec> absent = specs.stream().filter(s -> !existing.contains(s.name())).toList();
            if (absent.isEmpty()) {
                return;
            }
            int rf = replicationFactor != AUTO ? replicationFactor
                    : Math.min(MAX_AUTO_REPLICAS, admin.describeCluster().nodes().get(wait.toMillis(), TimeUnit.MILLISECONDS).size());
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.TopicSpec spec : absent) {
                Map<String, String> configs = new java.util.HashMap<>(spec.configs());
                configs.putIfAbsent("min.insync.replicas", String.valueOf(minInSyncReplicas(rf)));
                missing.add(new NewTopic(spec.name(), spec.partitions(), (short) rf).configs(configs));
            }
            Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin
                    .createTopics(missing, new CreateTopicsOptions().timeoutMs(ms)).values();
            for (var e : results.entrySet()) {
                try {
                    e.getValue().get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("created topic {} ({} replicas)", e.getKey(), rf);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + e.getKey() + ": "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
            awaitLeaders(admin, results.keySet(), wait);
        } catch (TimeoutException | ExecutionException e) {
            throw new BrokerUnreachableException(String.valueOf(clientProps.get("bootstrap.servers")), wait, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ensuring topics", e);
        }
    }

    /**
     * Waits until every partition of the new topics has a leader. Why: a producer that writes at once
     * gets NOT_LEADER_OR_FOLLOWER on its first batches of a partition still being set up, and with
     * idempotence and several batches in flight the broker can then refuse every retry as
     * OUT_OF_ORDER_SEQUENCE_NUMBER, for ever (seen in SegmentStreamIT on a loaded machine: 100 frames
     * sent, a partition's never appended, the producer retrying with 2^31 attempts left). Gives up
     * quietly after {@code wait}: the topics exist, producers retry as usual.
     */
    private static void awaitLeaders(Admin admin, java.util.Collection<String> topics, Duration wait)
            throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames().get(wait.toMillis(), TimeUnit.MILLISECONDS)
                        .values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet (UnknownTopicOrPartition) or slow: ask again
            }
            Thread.sleep(50);
        }
        LOG.warn("partitions of {} have no leader after {} s; producers will retry", topics, wait.toSeconds());
    }

    /** 2 with 3 or more replicas (one broker may fail without stopping writes), else 1. */
    public static int minInSyncReplicas(int replicationFactor) {
        return Math.max(1, Math.min(2, replicationFactor - 1));
    }

    /** No Kafka broker answered at the configured address within the bounded wait. */
    public static final class BrokerUnreachableException extends RuntimeException {
        public BrokerUnreachableException(String bootstrap, Duration wait, Throwable cause) {
            super("Kafka broker at " + bootstrap + " did not answer within " + wait.toSeconds()
                    + " s: start one (e.g. './dance broker') or pass --bootstrap-servers HOST:PORT", cause);
        }
    }
}
