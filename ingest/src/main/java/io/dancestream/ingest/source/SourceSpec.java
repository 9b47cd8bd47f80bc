package io.dancestream.ingest.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the user pointed ingest at: {@code v4l2:/dev/video0} (a webcam), a network URL
 * ({@code rtsp://}, {@code rtmp://}, {@code udp://}, {@code srt://} are live; {@code http(s)://}
 * is read like a file), a video file, or a folder of images (optionally paired captures).
 */
public record SourceSpec(Kind kind, String location, boolean live) {

    public enum Kind {
        CAMERA, NETWORK, FILE, IMAGE_FOLDER
    }

    private static final String[] LIVE_SCHEMES = {"rtsp://", "rtsps://", "rtmp://", "udp://", "srt://", "tcp://"};

    public static SourceSpec parse(String source) {
        if (source == null || source.isBlank()) {
            throw new SourceException("no source given: pass a video file, an image folder, a URL or v4l2:/dev/videoN");
        }
        String s = source.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("v4l2:")) {
            return new SourceSpec(Kind.CAMERA, s.substring("v4l2:".length()), true);
        }
        for (String scheme : LIVE_SCHEMES) {
            if (lower.startsWith(scheme)) {
                return new SourceSpec(Kind.NETWORK, s, true);
            }
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new SourceSpec(Kind.NETWORK, s, false);
        }
        String path = lower.startsWith("file:") ? s.substring("file:".length()) : s;
        if (Files.isDirectory(Path.of(path))) {
            return new SourceSpec(Kind.IMAGE_FOLDER, path, false);
        }
        return new SourceSpec(Kind.FILE, path, false);
    }

    /** Any FFmpeg-readable location treated as a live source (grab-time capture, reconnects). */
    public static SourceSpec liveStream(String location) {
        return new SourceSpec(Kind.NETWORK, location, true);
    }

    /** The {@code source} field of Frame records, e.g. {@code file:/data/vtest.avi}. */
    public String description() {
        return switch (kind) {
            case CAMERA -> "v4l2:" + location;
            case NETWORK -> location;
            case FILE -> "file:" + Path.of(location).toAbsolutePath().normalize();
            case IMAGE_FOLDER -> "folder:" + Path.of(location).toAbsolutePath().normalize();
        };
    }
}
