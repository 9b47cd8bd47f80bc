package io.dancestream.viewer.camera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the browser camera endpoint runs. It is a write path into Kafka, so: on a loopback bind it
 * is open to pages of the viewer's own origin; on any other bind it runs only with a token (from a
 * file or the environment, never a command-line argument, which other users of the machine can
 * read in the process list), and without one it stays off and says why.
 *
 * @param enabled       whether {@code /camera} accepts connections
 * @param token         the token the page must send first, or null (loopback without a token)
 * @param whyDisabled   one sentence for the log and the page when not enabled
 * @param maxMessageBytes largest binary message (header + JPEG)
 * @param maxFps        frames per second one connection may send
 * @param maxPixels     largest JPEG (width × height)
 */
public record CameraSettings(boolean enabled, String token, String whyDisabled, int maxMessageBytes, double maxFps,
                             long maxPixels) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    public static final double DEFAULT_MAX_FPS = 30;
    public static final long DEFAULT_MAX_PIXELS = 1920L * 1080;
    /** The environment variable that may hold the token. */
    public static final String TOKEN_ENV = "DANCE_CAMERA_TOKEN";

    public CameraSettings {
        if (maxMessageBytes < 1024 || maxFps <= 0 || maxPixels < 1) {
            throw new IllegalArgumentException("camera limits must be positive (max message at least 1 KiB)");
        }
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("the camera token must be at least 16 characters (e.g. "
                    + "`openssl rand -hex 16`)");
        }
    }

    /** Loopback, no token: the default of {@code dance viewer}. */
    public static CameraSettings localDefaults() {
        return new CameraSettings(true, null, null, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_FPS, DEFAULT_MAX_PIXELS);
    }

    /** Off, with the reason. */
    public static CameraSettings off(String why) {
        return new CameraSettings(false, null, why, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_FPS, DEFAULT_MAX_PIXELS);
    }

    /** These limits with another token (null: none). */
    public CameraSettings withToken(String token) {
        return new CameraSettings(enabled, token, whyDisabled, maxMessageBytes, maxFps, maxPixels);
    }

    public CameraSettings withLimits(int maxMessageBytes, double maxFps) {
        return new CameraSettings(enabled, token, whyDisabled, maxMessageBytes, maxFps, maxPixels);
    }

    /**
     * The settings for a viewer bound to {@code bind}: the token comes from {@code tokenFile} if
     * given, else from {@code envToken} (the value of {@value #TOKEN_ENV}); a token given is always
     * required, and a non-loopback bind without one turns the camera off.
     */
    public static CameraSettings forBind(String bind, Path tokenFile, String envToken, int maxMessageBytes,
                                         double maxFps) {
        String token = tokenFile != null ? readToken(tokenFile) : blankToNull(envToken);
        boolean loopback = isLoopback(bind);
        if (token == null && !loopback) {
            return new CameraSettings(false, null, "the browser camera is off: the viewer binds " + bind
                    + ", not loopback, and no token is set (put one in " + TOKEN_ENV + " or a file named by "
                    + "--camera-token-file)", maxMessageBytes, maxFps, DEFAULT_MAX_PIXELS);
        }
        return new CameraSettings(true, token, null, maxMessageBytes, maxFps, DEFAULT_MAX_PIXELS);
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String readToken(Path file) {
        try {
            String t = blankToNull(Files.readString(file, StandardCharsets.UTF_8));
            if (t == null) {
                throw new IllegalArgumentException("camera token file " + file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the camera token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
