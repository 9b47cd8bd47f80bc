package io.dancestream.ingest.source;

/** A source that cannot be opened or read, with one sentence saying what to do. */
public class SourceException extends RuntimeException {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
