package io.dancestream.bench.path;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.StageTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench-path's per-frame trace: each stage's wait is measured from the previous stage's end. */
class FrameTraceTest {

    @Test
    void oneLinePerFrameAndStageWithWaitsFromThePreviousStage(@TempDir Path dir) throws Exception {
        long capture = 1_796_594_000_000_000L; // 2026-12-06 21:53:20 UTC, in µs
        Rendered r = Rendered.newBuilder().setSeq(7).setCaptureTimeUs(capture)
                .addTimings(timing("ingest", capture + 1_000, capture + 1_500))
                .addTimings(timing("segment", capture + 41_500, capture + 66_500))
                .addTimings(timing("transfer", capture + 70_000, capture + 82_000))
                .build();
        Path csv = dir.resolve("trace.csv");
        FrameTrace.append(csv, "live", List.of(new PathBenchmark.Arrival(r, capture + 90_000)));
        FrameTrace.append(csv, "replay", List.of(new PathBenchmark.Arrival(r, capture + 90_000)));

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + 2 * 3); // one header, though appended twice
        assertThat(lines.get(0)).isEqualTo(FrameTrace.HEADER);
        assertThat(lines.get(1)).isEqualTo("live,7,21:53:20.000,0.0,90.0,ingest,1.0,0.5");
        assertThat(lines.get(2)).isEqualTo("live,7,21:53:20.000,0.0,90.0,segment,40.0,25.0");
        assertThat(lines.get(3)).isEqualTo("live,7,21:53:20.000,0.0,90.0,transfer,3.5,12.0");
        assertThat(lines.get(4)).startsWith("replay,7,");
    }

    private static StageTiming timing(String stage, long start, long end) {
        return StageTiming.newBuilder().setStage(stage).setStartUs(start).setEndUs(end).build();
    }
}
