package io.dancestream.viewer;

import java.util.function.Supplier;

/**
 * One displayable image of a stream: the frame it shows and its encoded bytes. The bytes may
 * be made on first use (a part map is coloured only when a page asks for it, so frames no one
 * watches cost no colouring) and are then kept.
 */
public final class PanelImage {

    private final String contentType;
    private final long seq;
    private final long captureTimeUs;
    private final String label;
    private Supplier<byte[]> render;
    private byte[] bytes;

    public PanelImage(byte[] bytes, String contentType, long seq, long captureTimeUs, String label) {
        this(null, bytes, contentType, seq, captureTimeUs, label);
    }

    private PanelImage(Supplier<byte[]> render, byte[] bytes, String contentType, long seq, long captureTimeUs,
                       String label) {
        this.render = render;
        this.bytes = bytes;
        this.contentType = contentType;
        this.seq = seq;
        this.captureTimeUs = captureTimeUs;
        this.label = label;
    }

    /** An image whose bytes {@code render} makes when first asked for (it may throw for bad input). */
    public static PanelImage lazy(Supplier<byte[]> render, String contentType, long seq, long captureTimeUs, String label) {
        return new PanelImage(render, null, contentType, seq, captureTimeUs, label);
    }

    public synchronized byte[] bytes() {
        if (bytes == null) {
            bytes = render.get();
            render = null;
        }
        return bytes;
    }

    public String contentType() {
        return contentType;
    }

    public long seq() {
        return seq;
    }

    public long captureTimeUs() {
        return captureTimeUs;
    }

    public String label() {
        return label;
    }

    /** A record whose image cannot be shown (thrown where it is made, or by {@link #bytes} for one made lazily). */
    static final class BadImageException extends RuntimeException {
        BadImageException(String message) {
            super(message);
        }
    }
}
