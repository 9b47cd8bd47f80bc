package io.dancestream.segmentstream.quantize;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The two pictures of the seed article, drawn with OpenCV: the histogram of grey values of the
 * captured masks before quantization (thousands of values) and after (one per class), and a
 * 3-D RGB scatter of sampled mask pixels with the fitted centroids (an oblique projection of
 * the RGB cube; points in their own colour, centroids as ringed dots).
 */
public final class QuantizeReport {

    private final long[] greyBefore = new long[256];
    private final long[] greyAfter = new long[256];
    private final int[] sample = new int[20_000]; // packed RGB
    private int sampled;
    private long seen;
    private final SplittableRandom rnd = new SplittableRandom(1);

    /** Adds a captured mask (BGR) and its colour-restored preview (BGR). */
    public void add(Mat mask, Mat preview) {
        histogram(mask, greyBefore);
        histogram(preview, greyAfter);
        byte[] px = BgrPixels.bytes(mask);
        // reservoir sample of pixels, so the scatter shows every mask equally
        for (int i = 0; i + 2 < px.length; i += 3 * 37) {
            int rgb = ((px[i + 2] & 0xff) << 16) | ((px[i + 1] & 0xff) << 8) | (px[i] & 0xff);
            seen++;
            if (sampled < sample.length) {
                sample[sampled++] = rgb;
            } else {
                long j = rnd.nextLong(seen);
                if (j < sample.length) {
                    sample[(int) j] = rgb;
                }
            }
        }
    }

    private static void histogram(Mat bgr, long[] hist) {
        try (Mat grey = new Mat()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            for (byte b : BgrPixels.bytes(grey)) {
                hist[b & 0xff]++;
            }
        }
    }

    public int distinctGreyBefore() {
        return ColorHistogram.occupied(greyBefore);
    }

    public int distinctGreyAfter() {
        return ColorHistogram.occupied(greyAfter);
    }

    /** Two stacked bar charts, log-scaled counts, 0..255 grey. */
    public Mat greyHistograms() {
        Mat img = new Mat(560, 800, CV_8UC3, new Scalar(255, 255, 255, 0));
        drawHistogram(img, greyBefore, 20, "grey values before quantization: " + distinctGreyBefore() + " distinct");
        drawHistogram(img, greyAfter, 290, "after: " + distinctGreyAfter() + " distinct (25 classes; some palette colours share a grey level)");
        return img;
    }

    private static void drawHistogram(Mat img, long[] h, int top, String title) {
        putText(img, title, new Point(20, top + 18), FONT_HERSHEY_SIMPLEX, 0.55, new Scalar(0, 0, 0, 0), 1, LINE_AA, false);
        int x0 = 20;
        int y1 = top + 250;
        double max = 0;
        for (long v : h) {
            max = Math.max(max, Math.log1p(v));
        }
        line(img, new Point(x0, y1), new Point(x0 + 3 * 256, y1), new Scalar(0, 0, 0, 0), 1, LINE_8, 0);
        for (int g = 0; g < 256; g++) {
            if (h[g] == 0) {
                continue;
            }
            int bar = (int) Math.round(215 * Math.log1p(h[g]) / max);
            rectangle(img, new Point(x0 + 3 * g, y1 - bar), new Point(x0 + 3 * g + 2, y1), new Scalar(g * 0.6, g * 0.6,
                    g * 0.6, 0), FILLED, LINE_8, 0);
        }
    }

    /** The RGB scatter with centroids. */
    public Mat rgbScatter(QuantizerFit fit) {
        Mat img = new Mat(700, 800, CV_8UC3, new Scalar(255, 255, 255, 0));
        putText(img, "RGB scatter of " + sampled + " sampled mask pixels, rings: " + fit.centroids().length
                + " fitted centroids", new Point(20, 25), FONT_HERSHEY_SIMPLEX, 0.55, new Scalar(0, 0, 0, 0), 1, LINE_AA,
                false);
        // cube edges
        int[][] corners = new int[8][];
        for (int i = 0; i < 8; i++) {
            corners[i] = project((i & 4) != 0 ? 255 : 0, (i & 2) != 0 ? 255 : 0, (i & 1) != 0 ? 255 : 0);
        }
        for (int i = 0; i < 8; i++) {
            for (int bit = 1; bit < 8; bit <<= 1) {
                int j = i | bit;
                if (j != i) {
                    line(img, new Point(corners[i][0], corners[i][1]), new Point(corners[j][0], corners[j][1]),
                            new Scalar(200, 200, 200, 0), 1, LINE_AA, 0);
                }
            }
        }
        label(img, project(255, 0, 0), "R");
        label(img, project(0, 255, 0), "G");
        label(img, project(0, 0, 255), "B");
        for (int i = 0; i < sampled; i++) {
            int rgb = sample[i];
            int r = rgb >> 16 & 0xff;
            int g = rgb >> 8 & 0xff;
            int b = rgb & 0xff;
            int[] p = project(r, g, b);
            circle(img, new Point(p[0], p[1]), 1, new Scalar(b, g, r, 0), FILLED, LINE_8, 0);
        }
        for (double[] c : fit.centroids()) {
            int[] p = project(c[0], c[1], c[2]);
            circle(img, new Point(p[0], p[1]), 7, new Scalar(c[2], c[1], c[0], 0), FILLED, LINE_AA, 0);
            circle(img, new Point(p[0], p[1]), 8, new Scalar(0, 0, 0, 0), 2, LINE_AA, 0);
        }
        return img;
    }

    private static void label(Mat img, int[] p, String text) {
        putText(img, text, new Point(p[0] + 6, p[1] + 4), FONT_HERSHEY_SIMPLEX, 0.6, new Scalar(0, 0, 0, 0), 2, LINE_AA,
                false);
    }

    /** Oblique projection: R to the right, G up, B receding down-left. */
    private static int[] project(double r, double g, double b) {
        double x = 250 + r * 1.6 - b * 0.9;
        double y = 560 - g * 1.6 + b * 0.55;
        return new int[] {(int) Math.round(x), (int) Math.round(y)};
    }
}
