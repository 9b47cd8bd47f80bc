package io.dancestream.common.config;

/**
 * Latency policy of a stage. {@code live}: a frame already older than the stage's budget is
 * dropped (and counted) instead of letting a queue grow. {@code replay}: every frame is
 * processed, in order.
 */
public enum Mode {
    live,
    replay
}
