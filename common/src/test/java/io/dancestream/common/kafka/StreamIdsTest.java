package io.dancestream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamIdsTest {

    @Test
    void spreadIdsLandOnEveryPartitionInTurn() {
        List<String> ids = StreamIds.spread("cam-", 8, 4);
        assertThat(ids).hasSize(8).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith("cam-"));
        for (int k = 0; k < ids.size(); k++) {
            assertThat(StreamIds.partition(ids.get(k), 4)).as(ids.get(k)).isEqualTo(k % 4);
        }
        // the producer's default partitioner agrees (murmur2 of the UTF-8 key)
        assertThat(StreamIds.partition("load-0", 4)).isEqualTo(3);
    }
}
