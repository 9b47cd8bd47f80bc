package io.dancestream.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.Timings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageSummaryTest {

    @Test
    void percentilesAndFpsComeFromTheRecordsStageTimings() {
        List<Rendered> records = new ArrayList<>();
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 100; i++) {
            long capture = t0 + i * 100_000L;                  // 10 fps
            long segStart = capture + 10_000;
            long segEnd = segStart + (i + 1) * 1_000L;          // 1..100 ms in stage
            records.add(Rendered.newBuilder().setStreamId("s").setSeq(i).setCaptureTimeUs(capture)
                    .addTimings(Timings.stage("ingest", capture, capture + 5_000))
                    .addTimings(Timings.stage("segment", segStart, segEnd)).build());
        }
        StageSummary s = StageSummary.of(records);
        assertThat(s.stageNames()).containsExactly("ingest", "segment");
        assertThat(s.stage("segment").count()).isEqualTo(100);
        assertThat(s.stage("segment").stageMs(0.50)).isEqualTo(50.0);
        assertThat(s.stage("segment").stageMs(0.99)).isEqualTo(99.0);
        assertThat(s.stage("segment").ageMs(0.50)).isEqualTo(60.0);
        assertThat(s.stage("ingest").stageMs(0.95)).isEqualTo(5.0);
        // 100 frames between the first start (t0) and the last end (t0 + 9.9 s + 5 ms)
        assertThat(s.stage("ingest").fps()).isCloseTo(100 / 9.905, within(1e-6));
        assertThat(s.table()).contains("segment").contains("frame age ms p50/p95/p99");
    }
}
