package io.dancestream.segmentstream.tfjs;

/** A TF.js graph model that cannot be converted; the message names the file, node or op. */
public final class TfjsImportException extends RuntimeException {

    public TfjsImportException(String message) {
        super(message);
    }

    public TfjsImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
