package io.dancestream.viewer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The viewer's state: the latest image per panel of every live stream, and a change counter
 * that the page's event stream waits on. Only the latest image is kept — a viewer shows now,
 * it does not queue.
 */
public final class LiveStreams {

    /** Streams silent this long are forgotten, so stream ids that come and go do not pile up. */
    static final long FORGET_NANOS = 10L * 60 * 1_000_000_000L;
    /** At most this many streams are held (a key flood cannot exhaust memory). */
    static final int MAX_STREAMS = 64;

    private final Map<String, StreamView> streams = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private long version;

    /** Stores the newest image of a panel; false when the stream limit refuses a new stream. */
    public boolean put(String streamId, Panel panel, PanelImage image) {
        long now = System.nanoTime();
        forgetSilent(now);
        StreamView view = streams.get(streamId);
        if (view == null) {
            if (streams.size() >= MAX_STREAMS) {
                return false;
            }
            view = streams.computeIfAbsent(streamId, StreamView::new);
        }
        view.put(panel, image, now);
        bump();
        return true;
    }

    public PanelImage latest(String streamId, Panel panel) {
        StreamView view = streams.get(streamId);
        return view == null ? null : view.latest(panel);
    }

    /** Notes the latency at which the page displayed a panel (for drawing it on the page). */
    public void shown(String streamId, Panel panel, double latencyMs) {
        StreamView view = streams.get(streamId);
        if (view != null) {
            view.shown(panel, latencyMs);
            bump();
        }
    }

    /** Snapshots of every stream, ordered by stream id. */
    public List<Map<String, Object>> snapshot() {
        long now = System.nanoTime();
        List<StreamView> views = new ArrayList<>(streams.values());
        views.sort(Comparator.comparing(StreamView::streamId));
        List<Map<String, Object>> out = new ArrayList<>();
        for (StreamView v : views) {
            out.add(v.snapshot(now));
        }
        return out;
    }

    public long version() {
        synchronized (changed) {
            return version;
        }
    }

    /** Blocks until the state changes past {@code seen} or {@code timeoutMillis} pass; returns the version. */
    public long awaitChange(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (changed) {
            long left;
            while (version == seen && (left = deadline - System.currentTimeMillis()) > 0) {
                changed.wait(left);
            }
            return version;
        }
    }

    private void bump() {
        synchronized (changed) {
            version++;
            changed.notifyAll();
        }
    }

    private void forgetSilent(long now) {
        streams.values().removeIf(v -> now - v.lastSeenNanos() > FORGET_NANOS);
    }
}
