package io.dancestream.common.metrics;

import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.StageTiming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's closing table, computed exactly from the stage timings every Rendered record
 * carries (each stage appends {stage, start_us, end_us}): per stage, frames, throughput, time
 * inside the stage and the frame's age when the stage finished, as p50/p95/p99.
 */
public final class StageSummary {

    private final Map<String, Stats> stages = new LinkedHashMap<>();

    public static StageSummary of(List<Rendered> rendered) {
        StageSummary s = new StageSummary();
        for (Rendered r : rendered) {
            for (StageTiming t : r.getTimingsList()) {
                s.stages.computeIfAbsent(t.getStage(), k -> new Stats()).add(t, r.getCaptureTimeUs());
            }
        }
        return s;
    }

    public List<String> stageNames() {
        return List.copyOf(stages.keySet());
    }

    public Stats stage(String name) {
        return stages.get(name);
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-10s %7s %7s | %-26s | %-26s%n", "stage", "frames", "fps",
                "time in stage ms p50/p95/p99", "frame age ms p50/p95/p99"));
        for (var e : stages.entrySet()) {
            Stats st = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-10s %7d %7.1f | %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f%n",
                    e.getKey(), st.count(), st.fps(),
                    st.stageMs(0.50), st.stageMs(0.95), st.stageMs(0.99),
                    st.ageMs(0.50), st.ageMs(0.95), st.ageMs(0.99)));
        }
        return sb.toString();
    }

    /** Timings of one stage over all records. */
    public static final class Stats {
        private final List<Long> stageUs = new ArrayList<>();
        private final List<Long> ageUs = new ArrayList<>();
        private long firstStart = Long.MAX_VALUE;
        private long lastEnd = Long.MIN_VALUE;

        void add(StageTiming t, long captureUs) {
            stageUs.add(t.getEndUs() - t.getStartUs());
            ageUs.add(t.getEndUs() - captureUs);
            firstStart = Math.min(firstStart, t.getStartUs());
            lastEnd = Math.max(lastEnd, t.getEndUs());
        }

        public int count() {
            return stageUs.size();
        }

        /** Frames per second over the span from the first frame's start to the last frame's end. */
        public double fps() {
            double span = (lastEnd - firstStart) / 1e6;
            return span > 0 ? count() / span : 0;
        }

        public double stageMs(double q) {
            return Percentiles.of(stageUs, q) / 1e3;
        }

        public double ageMs(double q) {
            return Percentiles.of(ageUs, q) / 1e3;
        }
    }

}
