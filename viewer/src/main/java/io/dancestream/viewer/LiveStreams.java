package io.dancestream.viewer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The viewer's state: the latest image per panel of every stream, live or ended, and a change
 * counter that the page's event stream waits on. Only the latest image is kept — a viewer shows
 * now, it does not queue. A stream with no frame for {@link StreamEnding#endedAfter} is ended:
 * it keeps its last images, final fps and latency until it is forgotten (see {@link StreamEnding})
 * or frames arrive again, which makes it live again. Each stream's images, fps and shown latency
 * are one {@link StreamView}.
 */
public final class LiveStreams {

    /** At most this many streams are held (a key flood cannot exhaust memory). */
    static final int MAX_STREAMS = 64;
    /** At most this many ended streams are held; the longest-ended go first. */
    static final int MAX_ENDED = 8;

    private final Map<String, StreamView> streams = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long endedAfterNanos;
    private final long keepEndedNanos;
    private final Object changed = new Object();
    private long version;

    public LiveStreams() {
        this(StreamEnding.defaults(), System::nanoTime);
    }

    /** @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a fake one in tests) */
    public LiveStreams(StreamEnding ending, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.endedAfterNanos = ending.endedAfter().toNanos();
        this.keepEndedNanos = ending.keepsForever() ? Long.MAX_VALUE : ending.keepEnded().toNanos();
    }

    /**
     * Stores the newest image of a panel; false when the stream limit refuses a new stream
     * (only when every held stream is live: an ended one gives up its slot to a new stream).
     */
    public boolean put(String streamId, Panel panel, PanelImage image) {
        long now = nanoClock.getAsLong();
        synchronized (streams) {
            forgetEnded(now);
            StreamView view = streams.get(streamId);
            if (view == null) {
                if (streams.size() >= MAX_STREAMS && !forgetLongestEnded(now)) {
                    return false;
                }
                view = new StreamView(streamId);
                streams.put(streamId, view);
            }
            view.put(panel, image, now);
        }
        bump();
        return true;
    }

    public PanelImage latest(String streamId, Panel panel) {
        StreamView view = streams.get(streamId);
        return view == null ? null : view.latest(panel);
    }

    /**
     * Notes the latency at which the page displayed a panel (for drawing it on the page). False,
     * and nothing noted, for an unknown or ended stream: a page opened after the end loads the
     * last images long after their capture, which is no live latency and must not overwrite the
     * stream's final one.
     */
    public boolean shown(String streamId, Panel panel, double latencyMs) {
        StreamView view = streams.get(streamId);
        if (view == null || ended(view, nanoClock.getAsLong())) {
            return false;
        }
        view.shown(panel, latencyMs);
        bump();
        return true;
    }

    /** Snapshots of every stream: live ones first by stream id, then ended ones, latest end first. */
    public List<Map<String, Object>> snapshot() {
        long now = nanoClock.getAsLong();
        synchronized (streams) {
            forgetEnded(now);
        }
        List<StreamView> views = new ArrayList<>(streams.values());
        views.sort(Comparator.comparing((StreamView v) -> ended(v, now))
                .thenComparing(v -> ended(v, now) ? -v.lastSeenNanos() : 0L)
                .thenComparing(StreamView::streamId));
        List<Map<String, Object>> out = new ArrayList<>();
        for (StreamView v : views) {
            out.add(v.snapshot(now, ended(v, now)));
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

    private boolean ended(StreamView v, long now) {
        return now - v.lastSeenNanos() > endedAfterNanos;
    }

    /** Drops ended streams past their retention, then the longest-ended beyond {@link #MAX_ENDED}. */
    private void forgetEnded(long now) {
        streams.values().removeIf(v -> ended(v, now) && now - v.lastSeenNanos() > keepEndedNanos);
        long endedCount = streams.values().stream().filter(v -> ended(v, now)).count();
        for (long i = endedCount; i > MAX_ENDED; i--) {
            forgetLongestEnded(now);
        }
    }

    private boolean forgetLongestEnded(long now) {
        return streams.values().stream().filter(v -> ended(v, now))
                .min(Comparator.comparingLong(StreamView::lastSeenNanos))
                .map(v -> streams.remove(v.streamId()) != null)
                .orElse(false);
    }

    /** What the viewer holds of one stream: the latest image per panel and what to draw beside it. */
    private static final class StreamView {

        private final String streamId;
        private final EnumMap<Panel, PanelImage> latest = new EnumMap<>(Panel.class);
        private final EnumMap<Panel, FpsMeter> fps = new EnumMap<>(Panel.class);
        private final EnumMap<Panel, Double> shownLatencyMs = new EnumMap<>(Panel.class);
        private volatile long lastSeenNanos;

        StreamView(String streamId) {
            this.streamId = streamId;
            for (Panel p : Panel.values()) {
                fps.put(p, new FpsMeter());
            }
        }

        String streamId() {
            return streamId;
        }

        long lastSeenNanos() {
            return lastSeenNanos;
        }

        synchronized void put(Panel panel, PanelImage image, long nowNanos) {
            latest.put(panel, image);
            fps.get(panel).tick(nowNanos);
            lastSeenNanos = nowNanos;
        }

        synchronized PanelImage latest(Panel panel) {
            return latest.get(panel);
        }

        synchronized void shown(Panel panel, double latencyMs) {
            shownLatencyMs.put(panel, latencyMs);
        }

        /**
         * A JSON-ready snapshot: live or ended, seconds since the last frame, and per panel seq,
         * capture time, fps, label and shown latency. An ended stream's fps is the rate it had at
         * its last frame (the live rate has decayed to 0 by then, which says nothing).
         */
        synchronized Map<String, Object> snapshot(long nowNanos, boolean ended) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stream", streamId);
            s.put("state", ended ? "ended" : "live");
            s.put("idleSeconds", Math.round((nowNanos - lastSeenNanos) / 1e8) / 10.0);
            Map<String, Object> panels = new LinkedHashMap<>();
            for (Panel p : Panel.values()) {
                PanelImage img = latest.get(p);
                Map<String, Object> ps = new LinkedHashMap<>();
                ps.put("seq", img == null ? -1 : img.seq());
                ps.put("captureUs", img == null ? 0 : img.captureTimeUs());
                ps.put("label", img == null ? "" : img.label());
                FpsMeter meter = fps.get(p);
                ps.put("fps", Math.round((ended ? meter.fpsAtLastArrival() : meter.fps(nowNanos)) * 10) / 10.0);
                Double lat = shownLatencyMs.get(p);
                ps.put("shownLatencyMs", lat == null ? null : Math.round(lat * 10) / 10.0);
                panels.put(p.id(), ps);
            }
            s.put("panels", panels);
            return s;
        }
    }
}
