package io.dancestream.ingest.source;

import io.dancestream.common.records.Timings;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Maps a recorded source's media times onto the wall clock (capture time = ingest start +
 * media offset, so relative timing survives into the topic) and holds each frame until its
 * capture time under {@code --pace realtime}. Under {@code --pace max} frames go at once, but
 * never more than {@link #MAX_LEAD_US} ahead of the clock: brokers refuse record timestamps
 * further in the future than {@code log.message.timestamp.after.max.ms} (1 h by default).
 */
public final class Pacer {

    static final long MAX_LEAD_US = TimeUnit.MINUTES.toMicros(50);

    private final Pace pace;
    private long baseUs = Long.MIN_VALUE;
    private long firstMediaUs = Long.MIN_VALUE;
    private long lastCaptureUs = Long.MIN_VALUE;

    public Pacer(Pace pace) {
        this.pace = pace;
    }

    /** Capture time (µs since the epoch) of a frame with this media time. */
    public long captureTime(long mediaTimeUs) {
        if (baseUs == Long.MIN_VALUE) {
            baseUs = Timings.nowMicros();
        }
        if (firstMediaUs == Long.MIN_VALUE) {
            firstMediaUs = mediaTimeUs;
        }
        long t = baseUs + (mediaTimeUs - firstMediaUs);
        // media times can repeat or step back (broken files); capture times must not
        if (t <= lastCaptureUs) {
            t = lastCaptureUs + 1;
        }
        lastCaptureUs = t;
        return t;
    }

    /** After a rewind (--loop): the next frame follows the last one by one frame interval. */
    public void restart(long frameIntervalUs) {
        baseUs = lastCaptureUs + frameIntervalUs;
        firstMediaUs = Long.MIN_VALUE;
    }

    /** Blocks until the frame may be sent; false when a stop was requested meanwhile. */
    public boolean awaitSendTime(long captureUs, BooleanSupplier stop) {
        long target = pace == Pace.realtime ? captureUs : captureUs - MAX_LEAD_US;
        while (true) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long waitUs = target - Timings.nowMicros();
            if (waitUs <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(waitUs, 100_000) * 1000L);
        }
    }
}
