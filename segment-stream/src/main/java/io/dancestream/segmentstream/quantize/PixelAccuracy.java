package io.dancestream.segmentstream.quantize;

import io.dancestream.common.parts.BodyPart;
import org.bytedeco.opencv.opencv_core.Mat;

/** Pixel accuracy of predicted class maps against true ones, overall and per true class. */
public final class PixelAccuracy {

    private final long[] total = new long[256];
    private final long[] correct = new long[256];

    public void add(Mat truth, Mat predicted) {
        add(BgrPixels.bytes(truth), BgrPixels.bytes(predicted));
    }

    public void add(byte[] truth, byte[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("class maps differ in size: " + truth.length + " vs " + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i] & 0xff;
            total[t]++;
            if (truth[i] == predicted[i]) {
                correct[t]++;
            }
        }
    }

    public double overall() {
        long t = 0;
        long c = 0;
        for (int i = 0; i < 256; i++) {
            t += total[i];
            c += correct[i];
        }
        return t == 0 ? Double.NaN : (double) c / t;
    }

    /** Accuracy on the pixels whose true class is {@code id}; NaN when absent. */
    public double ofClass(int id) {
        return total[id] == 0 ? Double.NaN : (double) correct[id] / total[id];
    }

    public long pixelsOf(int id) {
        return total[id];
    }

    /** The lowest per-class accuracy over the classes present, and which class. */
    public int worstClass() {
        int worst = -1;
        for (int i = 0; i < BodyPart.COUNT; i++) {
            if (total[i] > 0 && (worst < 0 || ofClass(i) < ofClass(worst))) {
                worst = i;
            }
        }
        return worst;
    }

    public String summary() {
        int w = worstClass();
        return String.format(java.util.Locale.ROOT, "overall %.3f%%, worst class %s %.3f%%", 100 * overall(),
                w < 0 ? "-" : BodyPart.ofId(w).bodyPixName(), w < 0 ? Double.NaN : 100 * ofClass(w));
    }
}
