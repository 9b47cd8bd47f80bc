package io.dancestream.ingest;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.ingest.source.CapturedFrame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Resizes (keeping the aspect ratio) and JPEG-encodes frames through OpenCV; colour masks are
 * resized with nearest-neighbour and stay PNG, so their palette colours survive exactly.
 */
public final class FrameEncoder {

    private final int width;
    private final int height;
    private final int quality;

    /** An encoded image and its size. */
    record Encoded(byte[] bytes, int width, int height) {
    }

    /**
     * @param width  target width, 0 = from height (or the source's)
     * @param height target height, 0 = from width (or the source's); with both, the frame fits inside
     */
    public FrameEncoder(int width, int height, int quality) {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("--width and --height must be positive");
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, not " + quality);
        }
        this.width = width;
        this.height = height;
        this.quality = quality;
    }

    /** The output size for a source of {@code srcW}×{@code srcH}: aspect kept, at least 1×1. */
    public static int[] fit(int srcW, int srcH, int width, int height) {
        if (width <= 0 && height <= 0) {
            return new int[] {srcW, srcH};
        }
        double scale;
        if (width > 0 && height > 0) {
            scale = Math.min((double) width / srcW, (double) height / srcH);
        } else if (width > 0) {
            scale = (double) width / srcW;
        } else {
            scale = (double) height / srcH;
        }
        return new int[] {Math.max(1, (int) Math.round(srcW * scale)), Math.max(1, (int) Math.round(srcH * scale))};
    }

    /** Encodes a BGR frame; an unresized JPEG from the source passes through untouched. */
    public Encoded frame(Mat bgr, byte[] originalJpeg) {
        int[] size = fit(bgr.cols(), bgr.rows(), width, height);
        boolean same = size[0] == bgr.cols() && size[1] == bgr.rows();
        if (same && originalJpeg != null) {
            return new Encoded(originalJpeg, size[0], size[1]);
        }
        if (same) {
            return new Encoded(ImageCodec.encodeJpeg(bgr, quality), size[0], size[1]);
        }
        try (Mat scaled = new Mat(); Size s = new Size(size[0], size[1])) {
            resize(bgr, scaled, s, 0, 0, size[0] < bgr.cols() ? INTER_AREA : INTER_LINEAR);
            return new Encoded(ImageCodec.encodeJpeg(scaled, quality), size[0], size[1]);
        }
    }

    /** A colour mask at the frame's output size: nearest-neighbour, lossless PNG. */
    Encoded mask(CapturedFrame.Mask mask, int frameWidth, int frameHeight) {
        Mat m = mask.image();
        if (m.cols() == frameWidth && m.rows() == frameHeight) {
            return new Encoded(mask.bytes(), frameWidth, frameHeight);
        }
        try (Mat scaled = new Mat(); Size s = new Size(frameWidth, frameHeight)) {
            resize(m, scaled, s, 0, 0, INTER_NEAREST);
            return new Encoded(ImageCodec.encodePng(scaled), frameWidth, frameHeight);
        }
    }
}
