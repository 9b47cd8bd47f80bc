package io.dancestream.segmentstream.stream;

/** A frame record whose image cannot be segmented (corrupt JPEG, size disagreeing with the record). */
public class FrameDecodeException extends RuntimeException {
    public FrameDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
