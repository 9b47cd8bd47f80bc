package io.dancestream.trainer.data;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.image.PersonBox;
import io.dancestream.common.image.PersonCrop;
import io.dancestream.common.proto.TrainingPair;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * TrainingPair → {@link Sample}: the person crop ({@link PersonCrop}: the class map's foreground
 * box plus a margin, square, padded outside the frame) of the class map (nearest neighbour, so
 * ids stay ids) and of the frame (area resampling), at a square size. transfer-stream cuts its
 * input with the same PersonCrop, so train and serve see the same geometry. Each full frame is
 * also offered to the background plate, and each person box to the target's framing statistics.
 */
final class PairDecoder {

    /** Frame pixels outside the image (a person at the frame edge) are this colour: black. */
    private static final Scalar PAD = new Scalar(0, 0, 0, 0);

    private final int classes;
    private final BackgroundPlate plate;
    private final TargetFraming framing;

    /** @param plate gets every decoded frame, or null */
    PairDecoder(int classes, BackgroundPlate plate) {
        this(classes, plate, null);
    }

    /** @param framing gets every decoded frame's person box, or null */
    PairDecoder(int classes, BackgroundPlate plate, TargetFraming framing) {
        this.classes = classes;
        this.plate = plate;
        this.framing = framing;
    }

    /**
     * The pair at the training size (jitter crops from it) and at the model size (evaluation),
     * both resized from one decode of the JPEG and the PNG.
     *
     * @return null when the class map shows no person (nothing to crop; the frame still feeds the plate)
     * @throws IllegalArgumentException with the reason when the pair cannot be used
     */
    PairDataset.Decoded decode(TrainingPair pair, int trainSize, int size) {
        try (Mat bgr = ImageCodec.decodeColor(pair.getFrameJpeg().toByteArray());
             Mat map = ImageCodec.decodeUnchanged(pair.getClassMap().toByteArray())) {
            if (map.channels() != 1 || map.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
                throw new IllegalArgumentException("class_map is not an 8-bit single-channel PNG");
            }
            if (map.cols() != bgr.cols() || map.rows() != bgr.rows()) {
                // the crop is cut from both at the same frame coordinates
                throw new IllegalArgumentException("class_map is " + map.cols() + "x" + map.rows() + ", the frame "
                        + bgr.cols() + "x" + bgr.rows());
            }
            checkIds(map);
            if (plate != null) {
                plate.add(pair.getStreamId() + "/" + pair.getSeq(), bgr, map);
            }
            PersonBox box = PersonBox.of(map).orElse(null);
            if (box == null) {
                return null;
            }
            if (framing != null) {
                framing.add(pair.getStreamId() + "/" + pair.getSeq(), box);
            }
            PersonCrop crop = box.crop(PersonCrop.MARGIN);
            Sample eval = sample(pair, crop, bgr, map, size);
            // without jitter both sizes are the model's: one sample serves both (samples are only read)
            return new PairDataset.Decoded(trainSize == size ? eval : sample(pair, crop, bgr, map, trainSize), eval,
                    new PairDataset.Frame(pair.getStreamId(), pair.getSeq(), pair.getCaptureTimeUs(), pair.getFrameJpeg().toByteArray(),
                            pair.getClassMap().toByteArray()));
        } catch (ImageCodec.ImageDecodeException e) {
            throw new IllegalArgumentException("undecodable image: " + e.getMessage(), e);
        }
    }

    private static Sample sample(TrainingPair pair, PersonCrop crop, Mat bgr, Mat map, int size) {
        return new Sample(pair.getStreamId(), pair.getSeq(), size, classIds(crop, map, size), rgb(crop, bgr, size), crop);
    }

    private void checkIds(Mat map) {
        double[] max = new double[1];
        minMaxLoc(map, (double[]) null, max, null, null, null);
        if (max[0] >= classes) {
            throw new IllegalArgumentException("class_map has id " + (int) max[0] + ", beyond the " + classes + " classes");
        }
    }

    private static byte[] classIds(PersonCrop crop, Mat map, int size) {
        try (Mat small = crop.cutIds(map, size)) {
            byte[] ids = new byte[size * size];
            small.data().get(ids);
            return ids;
        }
    }

    /** The crop of a BGR frame as RGB bytes, size². */
    static byte[] rgb(PersonCrop crop, Mat bgr, int size) {
        try (Mat small = crop.cutImage(bgr, size, PAD); Mat rgb = new Mat()) {
            cvtColor(small, rgb, COLOR_BGR2RGB);
            byte[] out = new byte[size * size * 3];
            rgb.data().get(out);
            return out;
        }
    }
}
