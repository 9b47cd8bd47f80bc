package io.dancestream.ingest.source;

/**
 * How fast a recorded source is sent. {@code realtime}: each frame leaves at its capture time,
 * so a file behaves like a camera. {@code max}: as fast as the broker takes them. Live sources
 * are paced by the camera itself and ignore this.
 */
public enum Pace {
    realtime,
    max
}
