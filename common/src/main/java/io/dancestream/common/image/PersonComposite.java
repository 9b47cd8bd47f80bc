package io.dancestream.common.image;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The person-centred render around the generator call: {@link #cut} crops each source class map
 * around its person (the trainer's {@link PersonCrop}, so serve sees what training saw), and
 * {@link #compose} places each rendered crop in the plate's scene ({@link SourcePlacement}, or the
 * caller's {@link Placer}, e.g. transfer-stream's pose normalization) and blends it over the plate
 * ({@link PersonBlend}). A frame without a person is the plate alone.
 * transfer-stream serves with it and the trainer's held-out evaluation renders with it, so the
 * evaluation measures exactly what is served.
 */
public final class PersonComposite {

    /** The crops of one batch: per class map its crop (null: no person), and the generator inputs. */
    public record Crops(List<PersonCrop> boxes, List<Mat> inputs) implements AutoCloseable {
        @Override
        public void close() {
            inputs.forEach(Mat::close);
        }
    }

    /** Where frame {@code index}'s crop {@code box} of its srcW×srcH class map goes in the dstW×dstH plate. */
    @FunctionalInterface
    public interface Placer {
        PersonCrop place(int index, PersonCrop box, int srcW, int srcH, int dstW, int dstH);
    }

    /** Proportional placement: {@link SourcePlacement}. */
    public static final Placer PROPORTIONAL = (i, box, sw, sh, dw, dh) -> SourcePlacement.place(box, sw, sh, dw, dh);

    private PersonComposite() {
    }

    /** Crops every class map with a person to size² ids. */
    public static Crops cut(List<Mat> classMaps, int size) {
        List<PersonCrop> boxes = new ArrayList<>(classMaps.size());
        for (Mat m : classMaps) {
            boxes.add(PersonCrop.around(m).orElse(null));
        }
        return cut(classMaps, boxes, size);
    }

    /**
     * Crops every class map at its given crop (null: no person), e.g. a {@link CropSmoother}'s
     * steady crop rather than the frame's own.
     */
    public static Crops cut(List<Mat> classMaps, List<PersonCrop> boxes, int size) {
        List<Mat> inputs = new ArrayList<>();
        for (int i = 0; i < classMaps.size(); i++) {
            PersonCrop box = boxes.get(i);
            if (box != null) {
                inputs.add(box.cutIds(classMaps.get(i), size));
            }
        }
        return new Crops(new ArrayList<>(boxes), inputs);
    }

    /**
     * One output frame per class map: a copy of {@code plate} with the rendered crop (in
     * {@code rendered}, one per crop in order) blended in at the placed box, alpha from the source
     * part map. The caller owns the returned Mats.
     */
    public static List<Mat> compose(List<Mat> classMaps, Crops crops, List<Mat> rendered, Mat plate) {
        return compose(classMaps, crops, rendered, plate, PROPORTIONAL);
    }

    /** As {@link #compose(List, Crops, List, Mat)}, with each box placed by {@code placer}. */
    public static List<Mat> compose(List<Mat> classMaps, Crops crops, List<Mat> rendered, Mat plate, Placer placer) {
        List<Mat> out = new ArrayList<>(classMaps.size());
        int next = 0;
        for (int i = 0; i < classMaps.size(); i++) {
            Mat frame = plate.clone();
            out.add(frame);
            PersonCrop box = crops.boxes().get(i);
            if (box == null) {
                continue;
            }
            Mat map = classMaps.get(i);
            PersonCrop placed = placer.place(i, box, map.cols(), map.rows(), plate.cols(), plate.rows());
            // alpha from the source's own part map at the placed resolution: its outline, not the generator's
            try (Mat alphaIds = box.cutIds(map, placed.side())) {
                PersonBlend.blend(frame, rendered.get(next++), alphaIds, placed, PersonBlend.FEATHER_PX);
            }
        }
        return out;
    }
}
