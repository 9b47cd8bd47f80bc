package io.dancestream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CI variant of {@code dance load-test}: 2 streams for 40 s. It asserts what must hold at
 * any speed: every ingested frame is accounted for exactly (rendered, dropped stale by stage, or
 * failed) and every render reached the sink. Speed and heap are reported, not asserted (the
 * 10-minute numbers are in docs/benchmarks-reliability.md).
 */
class LoadTestIT {

    @Test
    void shortLoadReconcilesEveryIngestedFrame() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(LoadTestCommand.VTEST)), "opencv-doc's vtest.avi is not installed");
        LoadTest.Result r = LoadTest.run(new LoadTest.Settings(2, Duration.ofSeconds(40), Duration.ofSeconds(20), 160,
                LoadTestCommand.VTEST, SegmenterConfig.Variant.LITE, Duration.ofMillis(500)));
        System.out.println(LoadTest.markdown(r, LoadTestCommand.machine()));
        LoadTest.Totals t = r.totals();
        assertThat(r.intervals()).hasSize(2);
        assertThat(t.ingested()).as("frames ingested").isPositive();
        assertThat(t.segmented() + t.segmentStale()).as("frames that reached segment-stream").isPositive();
        assertThat(t.reconciled()).as("ingested = rendered + dropped + failed, rendered = received: %s", t).isTrue();
    }
}
