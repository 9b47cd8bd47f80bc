package io.dancestream.trainer.data;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_photo.INPAINT_TELEA;
import static org.bytedeco.opencv.global.opencv_photo.inpaint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target's scene without its person, built from the training frames: per pixel, the
 * temporal median of the frames where no segmented person covers it (the person mask dilated by
 * {@link #DILATE_PX}, since part maps hug the body and its edge pixels carry the person's colours).
 * The median also removes passers-by the segmenter did not track, as long as each pixel shows
 * the background in most frames. Pixels no frame shows (a dancer who never leaves one spot) are
 * inpainted from their surroundings: the median of all frames there would be the person's ghost,
 * and the render would then show two people.
 *
 * <p>At most {@link #MAX_FRAMES} frames are kept, spread evenly over the stream (every frame at
 * first; each time the limit is passed every other one is dropped and the stride doubles), so
 * memory stays bounded for any corpus length.
 */
public final class BackgroundPlate {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPlate.class);

    /** File name of the plate in the exported model directory. */
    public static final String FILE = "plate.png";
    static final int MAX_FRAMES = 48;
    static final int DILATE_PX = 6;
    private static final double INPAINT_RADIUS = 5;

    private final List<String> keys = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();
    private final List<byte[]> visible = new ArrayList<>();
    private int cols = -1;
    private int rows = -1;
    private long seen;
    private long stride = 1;
    private long otherSize;

    /** Offers one frame (BGR) and its class map; frames of another size than the first are ignored. */
    synchronized void add(Mat bgr, Mat classMap) {
        add("", bgr, classMap);
    }

    /** Offers a frame with a key (e.g. stream/seq) that {@link #build(java.util.function.Predicate)} can leave out. */
    synchronized void add(String key, Mat bgr, Mat classMap) {
        if (cols < 0) {
            cols = bgr.cols();
            rows = bgr.rows();
        }
        if (bgr.cols() != cols || bgr.rows() != rows) {
            otherSize++;
            return;
        }
        if (seen++ % stride != 0) {
            return;
        }
        byte[] px = new byte[cols * rows * 3];
        try (Mat c = bgr.clone()) {
            c.data().get(px);
        }
        keys.add(key);
        frames.add(px);
        visible.add(backgroundMask(classMap));
        if (frames.size() > MAX_FRAMES) {
            thin(keys);
            thin(frames);
            thin(visible);
            stride *= 2;
        }
    }

    private static <T> void thin(List<T> list) {
        List<T> kept = new ArrayList<>();
        for (int i = 0; i < list.size(); i += 2) {
            kept.add(list.get(i));
        }
        list.clear();
        list.addAll(kept);
    }

    /** 1 where the background shows, 0 on the dilated person. */
    private byte[] backgroundMask(Mat classMap) {
        try (Mat ids = new Mat(); Mat person = new Mat(); Mat bg = new Mat();
             Mat kernel = getStructuringElement(MORPH_ELLIPSE, new Size(2 * DILATE_PX + 1, 2 * DILATE_PX + 1))) {
            if (classMap.cols() != cols || classMap.rows() != rows) {
                resize(classMap, ids, new Size(cols, rows), 0, 0, INTER_NEAREST);
            } else {
                classMap.copyTo(ids);
            }
            threshold(ids, person, 0, 255, org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY);
            dilate(person, person, kernel);
            threshold(person, bg, 0, 1, THRESH_BINARY_INV);
            byte[] m = new byte[cols * rows];
            bg.data().get(m);
            return m;
        }
    }

    /** Frames the plate is built from. */
    synchronized int frames() {
        return frames.size();
    }

    /** The plate (BGR, the frames' size), or null when no frame was offered. */
    synchronized Mat build() {
        return build(k -> true);
    }

    /**
     * The plate from the kept frames whose key passes {@code include} (the trainer leaves out
     * held-out frames, so the evaluation does not see its own background), or null when none does.
     */
    synchronized Mat build(java.util.function.Predicate<String> include) {
        List<byte[]> allFrames = new ArrayList<>(frames);
        List<byte[]> allVisible = new ArrayList<>(visible);
        frames.clear();
        visible.clear();
        for (int i = 0; i < keys.size(); i++) {
            if (include.test(keys.get(i))) {
                frames.add(allFrames.get(i));
                visible.add(allVisible.get(i));
            }
        }
        try {
            return buildKept();
        } finally {
            frames.clear();
            visible.clear();
            frames.addAll(allFrames);
            visible.addAll(allVisible);
        }
    }

    private Mat buildKept() {
        if (frames.isEmpty()) {
            return null;
        }
        int n = frames.size();
        int pixels = cols * rows;
        byte[] out = new byte[pixels * 3];
        byte[] hole = new byte[pixels];
        int holes = 0;
        int[] buf = new int[n];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < 3; c++) {
                int k = 0;
                for (int f = 0; f < n; f++) {
                    if (visible.get(f)[p] != 0) {
                        buf[k++] = frames.get(f)[p * 3 + c] & 0xff;
                    }
                }
                if (k == 0) {
                    hole[p] = (byte) 255;
                    holes += c == 0 ? 1 : 0;
                    continue;
                }
                out[p * 3 + c] = (byte) median(buf, k);
            }
        }
        Mat plate = new Mat(rows, cols, opencv_core.CV_8UC3);
        plate.data().put(out);
        if (holes == pixels) {
            // no frame shows any background: nothing to inpaint from, take the plain median
            plate.close();
            return unmaskedMedian();
        }
        if (holes > 0) {
            try (Mat mask = new Mat(rows, cols, opencv_core.CV_8UC1)) {
                mask.data().put(hole);
                inpaint(plate, mask, plate, INPAINT_RADIUS, INPAINT_TELEA);
            }
        }
        LOG.info("background plate {}x{} from {} frames (stride {}), {} px never seen without a person (inpainted){}",
                cols, rows, n, stride, holes, otherSize > 0 ? ", " + otherSize + " frames of another size ignored" : "");
        return plate;
    }

    private Mat unmaskedMedian() {
        int n = frames.size();
        byte[] out = new byte[cols * rows * 3];
        int[] buf = new int[n];
        for (int i = 0; i < out.length; i++) {
            for (int f = 0; f < n; f++) {
                buf[f] = frames.get(f)[i] & 0xff;
            }
            out[i] = (byte) median(buf, n);
        }
        Mat plate = new Mat(rows, cols, opencv_core.CV_8UC3);
        plate.data().put(out);
        return plate;
    }

    private static int median(int[] buf, int k) {
        Arrays.sort(buf, 0, k);
        return buf[k / 2];
    }
}
