package io.dancestream.viewer;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the viewer holds of one stream: the latest image per panel and what to draw beside it. */
final class StreamView {

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
