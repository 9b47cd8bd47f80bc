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
final class PanelImages {

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

    /** Colours the 8-bit class map; throws {@link BadImageException} when it is not one. */
    static PanelImage parts(Segmentation s) {
        Mat ids;
        try {
            ids = ImageCodec.decodeUnchanged(s.getClassMap().toByteArray());
        } catch (ImageCodec.ImageDecodeException e) {
            throw new BadImageException("class_map: " + e.getMessage());
        }
        try (ids) {
            if (ids.type() != opencv_core.CV_8UC1) {
                throw new BadImageException("class_map is not an 8-bit single-channel image (OpenCV type "
                        + ids.type() + ")");
            }
            try (Mat colour = PartSchema.colorize(ids)) {
                byte[] png = ImageCodec.encodePng(colour);
                String label = (s.getModelId().isEmpty() ? "" : s.getModelId())
                        + (s.getLandmarksCount() > 0 ? String.format(" · person %.2f", s.getPersonScore()) : "");
                return new PanelImage(png, "image/png", s.getSeq(), s.getCaptureTimeUs(), label.strip());
            }
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
