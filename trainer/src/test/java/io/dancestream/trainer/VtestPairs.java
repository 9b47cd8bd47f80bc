package io.dancestream.trainer;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.proto.TrainingPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Training pairs from real video: frames of OpenCV's {@code vtest.avi} (pedestrians, static
 * camera) decoded with FFmpeg, and part maps made from them by background subtraction against
 * the median frame — each moving person becomes a blob split into face / torso / upper and
 * lower legs (left/right by side of the blob's centre). A cheap stand-in for the pose segmenter
 * (real pixels, a real and consistent frame → part map relation) for the short end-to-end
 * {@link io.dancestream.trainer.train.TrainJobIT}; the long CPU run uses the real segmenter
 * ({@link SegmentedPersonCrops}).
 */
public final class VtestPairs {

    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    private VtestPairs() {
    }

    public static boolean available() {
        return Files.isReadable(VTEST);
    }

    /**
     * The value of {@code property}, the opt-in of a long vtest run; without it (or without vtest.avi)
     * the test is skipped with a hint such as {@code set -Dproperty=example to run}.
     */
    public static String optIn(String property, String example) {
        String value = System.getProperty(property);
        assumeTrue(value != null && available(), "set -D" + property + "=" + example + " to run");
        return value;
    }

    /** The first {@code frames} frames, scaled to {@code width} wide, as TrainingPairs of stream {@code streamId}. */
    public static List<TrainingPair> load(String streamId, int frames, int width) throws Exception {
        List<byte[]> rgb = new ArrayList<>();
        List<Mat> bgrFrames = new ArrayList<>();
        int w = width;
        int h;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(VTEST.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            h = (int) Math.round((double) g.getImageHeight() * width / g.getImageWidth());
            for (int i = 0; i < frames; i++) {
                Frame f = g.grabImage();
                if (f == null) {
                    break;
                }
                Mat m = conv.convert(f);
                Mat small = new Mat();
                resize(m, small, new Size(w, h), 0, 0, INTER_AREA);
                bgrFrames.add(small);
                byte[] b = new byte[w * h * 3];
                small.data().get(b);
                rgb.add(b);
            }
            g.stop();
        }
        byte[] median = median(rgb);
        List<TrainingPair> out = new ArrayList<>();
        for (int i = 0; i < bgrFrames.size(); i++) {
            Mat frame = bgrFrames.get(i);
            try (Mat map = partMap(rgb.get(i), median, w, h)) {
                out.add(TrainingPair.newBuilder().setStreamId(streamId).setSeq(i).setCaptureTimeUs(1_700_000_000_000_000L + i * 100_000L)
                        .setWidth(w).setHeight(h).setFrameJpeg(ByteString.copyFrom(ImageCodec.encodeJpeg(frame, 90)))
                        .setClassMap(ByteString.copyFrom(ImageCodec.encodePng(map))).setSegmentationSource("captured").build());
            }
            frame.close();
        }
        return out;
    }

    private static byte[] median(List<byte[]> frames) {
        int n = frames.size();
        byte[] out = new byte[frames.get(0).length];
        int[] v = new int[n];
        for (int p = 0; p < out.length; p++) {
            for (int i = 0; i < n; i++) {
                v[i] = frames.get(i)[p] & 0xff;
            }
            Arrays.sort(v);
            out[p] = (byte) v[n / 2];
        }
        return out;
    }

    private static Mat partMap(byte[] frame, byte[] median, int w, int h) {
        Mat fg = new Mat(h, w, CV_8UC1);
        byte[] mask = new byte[w * h];
        for (int p = 0; p < w * h; p++) {
            int d = 0;
            for (int c = 0; c < 3; c++) {
                d += Math.abs((frame[p * 3 + c] & 0xff) - (median[p * 3 + c] & 0xff));
            }
            mask[p] = (byte) (d > 60 ? 255 : 0);
        }
        fg.data().put(mask);
        try (Mat k = getStructuringElement(MORPH_ELLIPSE, new Size(3, 3)); Mat k2 = getStructuringElement(MORPH_ELLIPSE, new Size(7, 7))) {
            morphologyEx(fg, fg, MORPH_OPEN, k);
            morphologyEx(fg, fg, MORPH_CLOSE, k2);
        }
        byte[] classes = new byte[w * h];
        try (Mat labels = new Mat(); Mat stats = new Mat(); Mat centroids = new Mat()) {
            int n = connectedComponentsWithStats(fg, labels, stats, centroids);
            try (IntIndexer st = stats.createIndexer(); IntIndexer lab = labels.createIndexer()) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int l = lab.get(y, x);
                        if (l == 0 || st.get(l, 4) < 40) {
                            continue;
                        }
                        int bx = st.get(l, 0);
                        int by = st.get(l, 1);
                        int bw = st.get(l, 2);
                        int bh = st.get(l, 3);
                        classes[y * w + x] = (byte) part((double) (y - by) / bh, x >= bx + bw / 2.0).id();
                    }
                }
            }
            if (n < 0) {
                throw new IllegalStateException();
            }
        }
        fg.data().put(classes);
        return fg;
    }

    /** Body part at relative height {@code ry} (0 = top of the blob); the person faces the camera. */
    private static BodyPart part(double ry, boolean imageRight) {
        if (ry < 0.18) {
            return imageRight ? BodyPart.LEFT_FACE : BodyPart.RIGHT_FACE;
        }
        if (ry < 0.55) {
            return BodyPart.TORSO_FRONT;
        }
        if (ry < 0.78) {
            return imageRight ? BodyPart.LEFT_UPPER_LEG_FRONT : BodyPart.RIGHT_UPPER_LEG_FRONT;
        }
        return imageRight ? BodyPart.LEFT_LOWER_LEG_FRONT : BodyPart.RIGHT_LOWER_LEG_FRONT;
    }
}
