package io.dancestream.segmentstream.quantize;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.dancestream.segmentstream.pose.SegmentationResult;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Real part maps for the quantizer's accuracy corpus: the {@link Segmenter} run on OpenCV's
 * sample pictures and video (Debian opencv-doc), each person cropped and scaled so that they fill
 * a 640x480 frame the way a dancer fills a webcam frame, then segmented again at that size.
 *
 * <p>{@code main(OUT_DIR)} writes the class maps as PNGs (the cached test resources under
 * {@code src/test/resources/quantize/partmaps}); needs the BlazePose models.
 */
public final class RealPartMaps {

    static final String DATA = "/usr/share/doc/opencv-doc/examples/data/";
    static final int W = 640;
    static final int H = 480;

    /** One named class map (CV_8UC1, 640x480). */
    public record Named(String name, Mat ids) {
    }

    private RealPartMaps() {
    }

    public static List<Named> extract(Segmenter seg) throws Exception {
        List<Named> out = new ArrayList<>();
        for (String f : new String[] {"messi5.jpg", "basketball1.png", "basketball2.png"}) {
            Mat img = opencv_imgcodecs.imread(DATA + f);
            add(out, seg, f.substring(0, f.indexOf('.')), img);
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(DATA + "vtest.avi");
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            for (int i = 0; i < 800; i++) {
                Frame fr = g.grabImage();
                if (fr == null) {
                    break;
                }
                if (i % 40 == 0) {
                    add(out, seg, "vtest" + i, conv.convert(fr).clone());
                }
            }
        }
        return out;
    }

    private static void add(List<Named> out, Segmenter seg, String name, Mat img) {
        SegmentationResult r = seg.segment(name + "-find", img);
        seg.forget(name + "-find");
        if (!r.hasPerson()) {
            System.out.println(name + ": no person");
            return;
        }
        int[] box = box(r.classMap());
        // a 4:3 crop where the person's height is ~85 % of the frame height
        double ph = box[3] - box[1] + 1;
        double pw = box[2] - box[0] + 1;
        double cropH = Math.max(ph / 0.85, pw / 0.9 * 3 / 4);
        double s = H / cropH;
        double cx = (box[0] + box[2]) / 2.0;
        double cy = (box[1] + box[3]) / 2.0;
        Mat m = new Mat(2, 3, opencv_core.CV_64F);
        try (DoubleIndexer ix = m.createIndexer()) {
            ix.put(0, 0, s, 0, W / 2.0 - s * cx);
            ix.put(1, 0, 0, s, H / 2.0 - s * cy);
        }
        Mat crop = new Mat();
        warpAffine(img, crop, m, new Size(W, H), INTER_LINEAR, opencv_core.BORDER_REPLICATE, new Scalar(0));
        SegmentationResult big = seg.segment(name, crop);
        seg.forget(name);
        if (!big.hasPerson()) {
            System.out.println(name + ": no person after the crop");
            return;
        }
        System.out.printf("%s: person %dx%d px in %dx%d, crop x%.2f, score %.2f%n", name, (int) pw, (int) ph, img.cols(),
                img.rows(), s, big.personScore());
        out.add(new Named(name, big.classMap()));
    }

    static int[] box(Mat ids) {
        byte[] b = BgrPixels.bytes(ids);
        int w = ids.cols();
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int p = 0; p < b.length; p++) {
            if (b[p] != 0) {
                int y = p / w;
                int x = p % w;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        return new int[] {x0, y0, x1, y1};
    }

    /** Writes the maps as {@code NAME.png} class-id PNGs into {@code dir}. */
    static void write(List<Named> maps, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Named n : maps) {
            opencv_imgcodecs.imwrite(dir.resolve(n.name() + ".png").toString(), n.ids());
        }
    }

    public static void main(String[] args) throws Exception {
        try (Segmenter seg = Segmenter.create(SegmenterConfig.defaults().withSmoothing(false))) {
            write(extract(seg), Path.of(args[0]));
        }
    }
}
