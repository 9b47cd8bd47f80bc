package io.dancestream.viewer;

import java.util.ArrayDeque;

/** Frames per second over a sliding window of arrival times. */
final class FpsMeter {

    private static final long WINDOW_NANOS = 2_000_000_000L;

    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private double atLastArrival;

    synchronized void tick(long nowNanos) {
        arrivals.addLast(nowNanos);
        trim(nowNanos);
        atLastArrival = fps(nowNanos);
    }

    /** The rate over the window ending at the latest arrival: a stopped stream's final fps. */
    synchronized double fpsAtLastArrival() {
        return atLastArrival;
    }

    /** Arrivals in the last two seconds, per second; 0 once a stream stops. */
    synchronized double fps(long nowNanos) {
        trim(nowNanos);
        if (arrivals.size() < 2) {
            return 0;
        }
        double spanSeconds = (nowNanos - arrivals.peekFirst()) / 1e9;
        // n arrivals span n-1 intervals; measure to now so a stalled stream decays
        return spanSeconds <= 0 ? 0 : (arrivals.size() - 1) / spanSeconds;
    }

    private void trim(long nowNanos) {
        while (!arrivals.isEmpty() && nowNanos - arrivals.peekFirst() > WINDOW_NANOS) {
            arrivals.removeFirst();
        }
    }
}
