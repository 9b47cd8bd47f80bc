package io.dancestream.common.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;

/**
 * Stream ids for load tests and benchmarks that spread evenly over a topic's partitions as
 * Kafka's default partitioner places their keys, so N instances sharing the partitions get equal
 * work (plain {@code cam-0..3} may hash two streams onto one partition and none onto another).
 */
public final class StreamIds {

    private StreamIds() {
    }

    /** The partition the default partitioner gives a record keyed {@code streamId}. */
    public static int partition(String streamId, int partitions) {
        return Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** {@code n} ids {@code prefix + i}: stream k lands on partition k mod {@code partitions}. */
    public static List<String> spread(String prefix, int n, int partitions) {
        List<String> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int k = 0; k < n; k++) {
            for (int i = 0; ; i++) {
                String id = prefix + i;
                if (!used.contains(id) && partition(id, partitions) == k % partitions) {
                    used.add(id);
                    out.add(id);
                    break;
                }
            }
        }
        return out;
    }
}
