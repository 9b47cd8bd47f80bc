package io.dancestream.viewer;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns records into images a browser can show. Frames and renders are JPEGs already and pass
 * through untouched (after a signature check); a class map is ids, not colours, so it is
 * coloured with BodyPix's palette and sent as a lossless PNG.
 */
public final class PanelImages {

    private PanelImages() {
    }

    static PanelImage source(Frame f) {
        byte[] jpeg = f.getJpeg().toByteArray();
        requireJpeg(jpeg, "frame jpeg");
        return new PanelImage(jpeg, "image/jpeg", f.getSeq(), f.getCaptureTimeUs(), f.getSource());
    }

    static PanelImage render(Rendered r) {
        byte[] jpeg = r.getJpeg().toByteArray();
        requireJpeg(jpeg, "rendered jpeg");
        String label = r.getPlaceholder() ? "generator " + r.getGeneratorVersion() + " (placeholder)"
                : "generator " + r.getGeneratorVersion();
        return new PanelImage(jpeg, "image/jpeg", r.getSeq(), r.getCaptureTimeUs(), label);
    }

    /**
     * The coloured part map, made when a page first asks for it. The PNG header is checked now
     * (8-bit greyscale, as the contract says), so a wrong image type is refused at once; a PNG
     * whose data is corrupt fails when it is coloured.
     */
    public static PanelImage parts(Segmentation s) {
        byte[] png = s.getClassMap().toByteArray();
        requireClassMapPng(png);
        String label = (s.getModelId().isEmpty() ? "" : s.getModelId())
                + (s.getLandmarksCount() > 0 ? String.format(" · person %.2f", s.getPersonScore()) : "");
        return PanelImage.lazy(() -> colour(png), "image/png", s.getSeq(), s.getCaptureTimeUs(), label.strip());
    }

    /** Decodes the class ids and colours them with BodyPix's palette (common's PartSchema). */
    static byte[] colour(byte[] classMapPng) {
        Mat ids;
        try {
            ids = ImageCodec.decodeUnchanged(classMapPng);
        } catch (ImageCodec.ImageDecodeException e) {
            throw new BadImageException("class_map: " + e.getMessage());
        }
        try (ids) {
            if (ids.type() != opencv_core.CV_8UC1) {
                throw new BadImageException("class_map is not an 8-bit single-channel image (OpenCV type "
                        + ids.type() + ")");
            }
            try (Mat colour = PartSchema.colorize(ids)) {
                return ImageCodec.encodePng(colour);
            }
        }
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** PNG signature, then the IHDR chunk: bit depth at byte 24, colour type at 25 (0 = greyscale). */
    private static void requireClassMapPng(byte[] b) {
        boolean png = b.length >= 26;
        for (int i = 0; png && i < PNG_SIGNATURE.length; i++) {
            png = b[i] == PNG_SIGNATURE[i];
        }
        if (!png || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new BadImageException("class_map is not an 8-bit single-channel PNG (not a PNG, " + b.length + " bytes)");
        }
        if (b[24] != 8 || b[25] != 0) {
            throw new BadImageException("class_map is not an 8-bit single-channel PNG (bit depth " + b[24]
                    + ", colour type " + b[25] + ")");
        }
    }

    private static void requireJpeg(byte[] b, String what) {
        // JPEG start-of-image marker; anything else would show as a broken image
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            throw new BadImageException(what + " is not a JPEG (" + b.length + " bytes)");
        }
    }

    /** A record whose image cannot be shown. */
    static final class BadImageException extends RuntimeException {
        BadImageException(String message) {
            super(message);
        }
    }
}
