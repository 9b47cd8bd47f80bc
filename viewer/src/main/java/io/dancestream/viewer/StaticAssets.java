package io.dancestream.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page's own files, read once from the classpath into memory. Requests are matched against
 * this fixed list by exact path, so no request path ever reaches a file system or resource
 * lookup (no traversal is possible, however it is encoded).
 */
final class StaticAssets {

    record Asset(byte[] bytes, String contentType) {
    }

    private static final String BASE = "/io/dancestream/viewer/assets/";

    private final Map<String, Asset> byPath;

    StaticAssets() {
        byPath = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/index.html", load("index.html", "text/html; charset=utf-8"),
                "/assets/viewer.js", load("viewer.js", "text/javascript; charset=utf-8"),
                "/assets/camera.js", load("camera.js", "text/javascript; charset=utf-8"),
                "/assets/viewer.css", load("viewer.css", "text/css; charset=utf-8"));
    }

    /** The asset served at exactly {@code rawPath}, or null. */
    Asset get(String rawPath) {
        return byPath.get(rawPath);
    }

    private static Asset load(String name, String type) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("viewer asset missing from the jar: " + name);
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
