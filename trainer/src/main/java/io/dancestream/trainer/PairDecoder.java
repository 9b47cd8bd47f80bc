package io.dancestream.trainer;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.proto.TrainingPair;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * TrainingPair → {@link Sample} at a square size: the frame is squeezed to size² (area
 * resampling), the class map with nearest-neighbour so ids stay ids. The renderer squeezes its
 * input the same way, so train and serve see the same geometry.
 */
final class PairDecoder {

    private final int classes;
    private final BackgroundPlate plate;

    /** @param plate gets every decoded frame, or null */
    PairDecoder(int classes, BackgroundPlate plate) {
        this.classes = classes;
        this.plate = plate;
    }

    /**
     * The pair at the training size (jitter crops from it) and at the model size (evaluation),
     * both resized from one decode of the JPEG and the PNG.
     *
     * @throws IllegalArgumentException with the reason when the pair cannot be used
     */
    PairDataset.Decoded decode(TrainingPair pair, int trainSize, int size) {
        try (Mat bgr = ImageCodec.decodeColor(pair.getFrameJpeg().toByteArray());
             Mat map = ImageCodec.decodeUnchanged(pair.getClassMap().toByteArray())) {
            if (map.channels() != 1 || map.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
                throw new IllegalArgumentException("class_map is not an 8-bit single-channel PNG");
            }
            Sample eval = sample(pair, bgr, map, size);
            if (plate != null) {
                plate.add(bgr, map);
            }
            // without jitter both sizes are the model's: one sample serves both (samples are only read)
            return new PairDataset.Decoded(trainSize == size ? eval : sample(pair, bgr, map, trainSize), eval);
        } catch (ImageCodec.ImageDecodeException e) {
            throw new IllegalArgumentException("undecodable image: " + e.getMessage(), e);
        }
    }

    private Sample sample(TrainingPair pair, Mat bgr, Mat map, int size) {
        return new Sample(pair.getStreamId(), pair.getSeq(), size, classIds(map, size), rgb(bgr, size));
    }

    private byte[] classIds(Mat map, int size) {
        try (Mat small = new Mat(); Size sz = new Size(size, size)) {
            resize(map, small, sz, 0, 0, INTER_NEAREST);
            byte[] ids = new byte[size * size];
            small.data().get(ids);
            for (byte b : ids) {
                if ((b & 0xff) >= classes) {
                    throw new IllegalArgumentException("class_map has id " + (b & 0xff) + ", beyond the " + classes + " classes");
                }
            }
            return ids;
        }
    }

    static byte[] rgb(Mat bgr, int size) {
        try (Mat small = new Mat(); Mat rgb = new Mat(); Size sz = new Size(size, size)) {
            resize(bgr, small, sz, 0, 0, INTER_AREA);
            cvtColor(small, rgb, COLOR_BGR2RGB);
            byte[] out = new byte[size * size * 3];
            rgb.data().get(out);
            return out;
        }
    }
}
