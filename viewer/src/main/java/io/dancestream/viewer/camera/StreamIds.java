package io.dancestream.viewer.camera;

import java.util.regex.Pattern;

/**
 * Stream ids a browser may write: 1-64 characters of {@code [A-Za-z0-9._-]}. They become Kafka
 * keys, metric-free page labels and URL parameters, so nothing that needs escaping gets in.
 */
public final class StreamIds {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private StreamIds() {
    }

    /** The id, or a {@link CameraRefusal} saying what is wrong with it. */
    public static String check(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            String shown = id == null ? "none" : id.length() > MAX_LENGTH ? id.substring(0, MAX_LENGTH) + "…" : id;
            throw new CameraRefusal(CameraRefusal.BAD_STREAM_ID, "bad stream id '" + shown + "': use 1-" + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ -");
        }
        return id;
    }
}
