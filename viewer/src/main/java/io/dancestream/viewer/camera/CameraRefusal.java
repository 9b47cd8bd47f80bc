package io.dancestream.viewer.camera;

/**
 * Why the camera endpoint refused a connection or a message. The reason is the {@code reason}
 * tag of {@code dance_camera_refused_total}; the message is the close reason the page shows.
 */
public final class CameraRefusal extends RuntimeException {

    /** Reasons (tag values). */
    public static final String ORIGIN = "origin";
    public static final String DISABLED = "disabled";
    public static final String TOKEN = "token";
    public static final String PROTOCOL = "protocol";
    public static final String TOO_LARGE = "too_large";
    public static final String BAD_STREAM_ID = "bad_stream_id";
    public static final String BAD_HEADER = "bad_header";
    public static final String BAD_JPEG = "bad_jpeg";
    public static final String IN_FLIGHT = "in_flight";
    public static final String RATE = "rate";

    private final String reason;

    public CameraRefusal(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
