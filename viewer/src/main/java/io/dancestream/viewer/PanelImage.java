package io.dancestream.viewer;

/** One displayable image of a stream: encoded bytes plus the frame it shows. */
public record PanelImage(byte[] bytes, String contentType, long seq, long captureTimeUs, String label) {
}
