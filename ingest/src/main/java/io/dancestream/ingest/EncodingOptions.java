package io.dancestream.ingest;

import picocli.CommandLine.Option;

/**
 * How ingest encodes the frames it sends (a picocli mixin): the size they are resized to and the JPEG
 * quality. {@code ingest} and {@code bench ingest} share it, so the benchmark takes the same options.
 */
public final class EncodingOptions {

    @Option(names = "--width", paramLabel = "W", defaultValue = "0",
            description = "Resize to this width, keeping the aspect ratio (with --height: fit inside W x H).")
    int width;

    @Option(names = "--height", paramLabel = "H", defaultValue = "0",
            description = "Resize to this height, keeping the aspect ratio.")
    int height;

    @Option(names = "--jpeg-quality", paramLabel = "Q", defaultValue = "85", description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    /** The width asked for, 0 = keep. */
    public int width() {
        return width;
    }

    /** The height asked for, 0 = keep. */
    public int height() {
        return height;
    }

    public int jpegQuality() {
        return jpegQuality;
    }

    /** {@code builder} with this size and quality. */
    public FrameIngestor.Builder applyTo(FrameIngestor.Builder builder) {
        return builder.size(width, height).jpegQuality(jpegQuality);
    }
}
