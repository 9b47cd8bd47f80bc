package io.dancestream.segmentstream.quantize;

/** A captured mask that cannot be quantized (not an image, wrong size), with the reason. */
public class MaskQuantizeException extends RuntimeException {
    public MaskQuantizeException(String message) {
        super(message);
    }

    public MaskQuantizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
