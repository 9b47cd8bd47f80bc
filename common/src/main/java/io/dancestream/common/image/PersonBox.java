package io.dancestream.common.image;

import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;

import java.util.Optional;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * The box of a class map's foreground (ids != 0), in frame pixels: what {@link PersonCrop} squares
 * up and what pose normalization measures. Its bottom stands in for the feet: the training pairs
 * carry no landmarks, so the target can only be measured this way, and the source is measured the
 * same way so that both sides of the mapping mean the same thing.
 */
public record PersonBox(int x, int y, int width, int height) {

    public PersonBox {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("person box must be at least 1x1, is " + width + "x" + height);
        }
    }

    /** The foreground box of an 8-bit class map, or empty when no pixel is a person. */
    public static Optional<PersonBox> of(Mat classMap) {
        if (classMap.type() != opencv_core.CV_8UC1) {
            throw new IllegalArgumentException("class map must be 8-bit single-channel, has type " + classMap.type());
        }
        // boundingRect of a single-channel image is the box of its non-zero pixels
        try (Rect r = boundingRect(classMap)) {
            if (r.width() <= 0 || r.height() <= 0) {
                return Optional.empty();
            }
            return Optional.of(new PersonBox(r.x(), r.y(), r.width(), r.height()));
        }
    }

    /** The y of the feet: the box's bottom edge. */
    public double footY() {
        return y + height;
    }

    public double centerX() {
        return x + width / 2.0;
    }

    /** The square crop around this box with {@code margin} of its larger side on each side. */
    public PersonCrop crop(double margin) {
        return PersonCrop.ofBox(x, y, width, height, margin);
    }
}
