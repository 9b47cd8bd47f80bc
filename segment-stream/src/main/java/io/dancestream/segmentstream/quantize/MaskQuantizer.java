package io.dancestream.segmentstream.quantize;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.image.ImageCodec;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a captured BodyPix colour mask into a class map: table lookup, border resolution of
 * the unsure blends, an optional mode filter, and resizing to the frame's size. Thread-safe; the table can be swapped while it runs
 * ({@link #use}), which is how online re-fitting takes effect.
 *
 * <p>A mask of another resolution than its frame (a browser canvas scaled) is mapped at its own
 * size and the ids are resized with nearest-neighbour (never blending ids); a mask whose aspect
 * ratio differs by more than {@value #ASPECT_TOLERANCE} belongs to another frame and is refused.
 */
public final class MaskQuantizer {

    static final double ASPECT_TOLERANCE = 0.03;

    private final AtomicReference<ColorLut> lut;
    private final boolean modeFilter;

    public MaskQuantizer(QuantizerFit fit, boolean modeFilter) {
        this.lut = new AtomicReference<>(ColorLut.compile(fit));
        this.modeFilter = modeFilter;
    }

    /** Switches to a new fit (compiled before the swap, so callers never wait on it). */
    public void use(QuantizerFit fit) {
        lut.set(ColorLut.compile(fit));
    }

    public QuantizerFit fit() {
        return lut.get().fit();
    }

    public boolean modeFilter() {
        return modeFilter;
    }

    /** Decodes and quantizes; {@code width}/{@code height} is the frame size (≤ 0: the mask's own). */
    public QuantizedMask quantize(byte[] image, int width, int height) {
        Mat bgr;
        try {
            bgr = ImageCodec.decodeColor(image);
        } catch (ImageCodec.ImageDecodeException e) {
            throw new MaskQuantizeException("captured mask is not an image: " + e.getMessage(), e);
        }
        try (bgr) {
            return quantize(bgr, width, height);
        }
    }

    /** Quantizes a decoded BGR mask. */
    public QuantizedMask quantize(Mat bgr, int width, int height) {
        if (bgr == null || bgr.empty() || bgr.channels() != 3) {
            throw new MaskQuantizeException("captured mask must be a 3-channel colour image");
        }
        int w = bgr.cols();
        int h = bgr.rows();
        int outW = width > 0 ? width : w;
        int outH = height > 0 ? height : h;
        double aspect = (double) w / h;
        double frameAspect = (double) outW / outH;
        if (Math.abs(aspect / frameAspect - 1) > ASPECT_TOLERANCE) {
            throw new MaskQuantizeException("captured mask is " + w + "x" + h + " but its frame is " + outW + "x"
                    + outH + " (different aspect ratio)");
        }
        byte[] codes = new byte[w * h];
        byte[] ids = new byte[w * h];
        ColorLut table = lut.get();
        byte[] pixels = BgrPixels.bytes(bgr);
        table.lookup(pixels, codes);
        int unmatched = BorderResolver.resolve(pixels, codes, ids, w, h, table.fit().centroids());
        if (modeFilter) {
            ids = ModeFilter.apply(ids, w, h);
        }
        int fg = 0;
        for (byte id : ids) {
            if (id != 0) {
                fg++;
            }
        }
        Mat map = BgrPixels.classMap(ids, w, h);
        if (w != outW || h != outH) {
            Mat resized = new Mat();
            try (Size size = new Size(outW, outH)) {
                resize(map, resized, size, 0, 0, INTER_NEAREST);
            }
            map.close();
            map = resized;
        }
        return new QuantizedMask(map, (double) unmatched / ids.length, (double) fg / ids.length);
    }
}
