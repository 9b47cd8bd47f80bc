package io.dancestream.trainer.eval;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Image similarity for evaluation: L1 (mean absolute difference, 0..1) and SSIM (Wang et al.
 * 2004: 11x11 Gaussian window, σ 1.5, K1 0.01, K2 0.03, averaged over the three channels).
 */
public final class ImageMetrics {

    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);

    private ImageMetrics() {
    }

    /** Mean |a − b| / 255 over all bytes. */
    public static double l1(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images differ in size");
        }
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / 255.0 / a.length;
    }

    /** SSIM of two size×size 3-channel images given as bytes. */
    public static double ssim(byte[] a, byte[] b, int size) {
        return ssim(a, b, size, size);
    }

    /** SSIM of two w×h 3-channel images given as bytes. */
    public static double ssim(byte[] a, byte[] b, int w, int h) {
        try (Mat x = floats(a, w, h); Mat y = floats(b, w, h);
             Mat xx = x.mul(x).asMat(); Mat yy = y.mul(y).asMat(); Mat xy = x.mul(y).asMat();
             Mat mx = blur(x); Mat my = blur(y); Mat sxx = blur(xx); Mat syy = blur(yy); Mat sxy = blur(xy)) {
            float[] fmx = read(mx);
            float[] fmy = read(my);
            float[] fxx = read(sxx);
            float[] fyy = read(syy);
            float[] fxy = read(sxy);
            double total = 0;
            for (int i = 0; i < fmx.length; i++) {
                double ux = fmx[i];
                double uy = fmy[i];
                double vx = fxx[i] - ux * ux;
                double vy = fyy[i] - uy * uy;
                double cxy = fxy[i] - ux * uy;
                total += ((2 * ux * uy + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
            }
            return total / fmx.length;
        }
    }

    /** PSNR in dB (8-bit peak); capped at 100 for identical images. */
    public static double psnr(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images differ in size");
        }
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        return se == 0 ? 100 : Math.min(100, 10 * Math.log10(255.0 * 255.0 * a.length / se));
    }

    private static Mat floats(byte[] img, int w, int h) {
        try (Mat u8 = new Mat(h, w, CV_8UC3)) {
            u8.data().put(img);
            Mat f = new Mat();
            u8.convertTo(f, CV_32FC3);
            return f;
        }
    }

    private static Mat blur(Mat m) {
        Mat out = new Mat();
        try (Size k = new Size(11, 11)) {
            GaussianBlur(m, out, k, 1.5);
        }
        return out;
    }

    private static float[] read(Mat m) {
        float[] f = new float[(int) (m.total() * m.channels())];
        ((java.nio.FloatBuffer) m.createBuffer()).get(f);
        return f;
    }
}
