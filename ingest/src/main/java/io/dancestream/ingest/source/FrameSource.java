package io.dancestream.ingest.source;

/** Where frames come from: a video file or stream through FFmpeg, or an image folder. */
public interface FrameSource extends AutoCloseable {

    /** Opens the source; a failure is a {@link SourceException} saying what to do. */
    void open();

    /**
     * The next frame, or null at the end (a file's end; a live source only returns null when
     * asked to stop, since it reconnects on its own).
     */
    CapturedFrame next();

    /** Live sources are captured at grab time and never paced or rewound. */
    boolean live();

    /** Frames per second of the source, 0 when unknown. */
    double frameRate();

    /** Frames in the source, -1 when unknown (live, or a container without a count). */
    long estimatedFrames();

    /** Starts again from the first frame (for {@code --loop}). */
    void rewind();

    /** Reconnects a live source made after a disconnect. */
    default int reconnects() {
        return 0;
    }

    /** Frames skipped because they could not be read (counted as failed). */
    default int unreadable() {
        return 0;
    }

    String description();

    @Override
    void close();
}
