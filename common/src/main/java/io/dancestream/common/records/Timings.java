package io.dancestream.common.records;

import io.dancestream.common.proto.StageTiming;
import java.time.Instant;

/** Microsecond wall-clock times, the unit of every time field in the records. */
public final class Timings {

    private Timings() {
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public static StageTiming stage(String stage, long startUs, long endUs) {
        return StageTiming.newBuilder().setStage(stage).setStartUs(startUs).setEndUs(endUs).build();
    }

    /** Seconds from a capture time (µs) to now: the frame's age. */
    public static double ageSeconds(long captureTimeUs) {
        return (nowMicros() - captureTimeUs) / 1e6;
    }
}
