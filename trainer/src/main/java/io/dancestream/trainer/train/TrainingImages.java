package io.dancestream.trainer.train;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.vconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.dancestream.common.parts.PartSchema;
import io.dancestream.trainer.data.Sample;
import io.dancestream.trainer.model.StepLosses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/** The PNGs a training run writes: a sample grid and the loss curve. */
final class TrainingImages {

    private TrainingImages() {
    }

    /** One row per held-out sample: coloured part map │ real frame │ generated frame. */
    static void sampleGrid(Path file, List<Sample> samples, byte[][] generated) {
        MatVector rows = new MatVector();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            try (Mat ids = new Mat(s.size(), s.size(), CV_8UC1)) {
                ids.data().put(s.classIds());
                Mat parts = PartSchema.colorize(ids);
                Mat real = bgr(s.rgb(), s.size());
                Mat fake = bgr(generated[i], s.size());
                Mat row = new Mat();
                hconcat(new MatVector(parts, real, fake), row);
                rows.push_back(row);
            }
        }
        try (Mat grid = new Mat()) {
            vconcat(rows, grid);
            write(file, grid);
        }
    }

    /** The loss history (moving averages, each scaled to its own maximum) as a line chart. */
    static void lossCurve(Path file, List<StepLosses> history) {
        int w = 800;
        int h = 400;
        int pad = 40;
        try (Mat img = new Mat(h, w, CV_8UC3, new Scalar(255, 255, 255, 0))) {
            rectangle(img, new Point(pad, pad), new Point(w - pad, h - pad), new Scalar(180, 180, 180, 0));
            if (history.size() >= 2) {
                long first = history.get(0).step();
                long last = history.get(history.size() - 1).step();
                String[] names = {"D", "G gan", "G L1"};
                Scalar[] colors = {new Scalar(200, 80, 0, 0), new Scalar(0, 140, 0, 0), new Scalar(0, 0, 220, 0)};
                for (int k = 0; k < 3; k++) {
                    // batch-1 losses jump from step to step: plot an exponential moving average
                    double[] smooth = new double[history.size()];
                    double ema = value(history.get(0), k);
                    double max = 1e-9;
                    for (int i = 0; i < smooth.length; i++) {
                        ema = i == 0 ? ema : 0.9 * ema + 0.1 * value(history.get(i), k);
                        smooth[i] = ema;
                        max = Math.max(max, ema);
                    }
                    Point prev = null;
                    for (int i = 0; i < smooth.length; i++) {
                        int x = pad + (int) ((w - 2 * pad) * (history.get(i).step() - first) / Math.max(1.0, last - first));
                        int y = h - pad - (int) ((h - 2 * pad) * smooth[i] / max);
                        Point p = new Point(x, y);
                        if (prev != null) {
                            line(img, prev, p, colors[k], 2, LINE_AA, 0);
                        }
                        prev = p;
                    }
                    putText(img, String.format("%s (max %.3g)", names[k], max), new Point(pad + 10 + 220 * k, pad - 12),
                            FONT_HERSHEY_SIMPLEX, 0.5, colors[k], 1, LINE_AA, false);
                }
                putText(img, "step " + first + " .. " + last, new Point(pad, h - 12), FONT_HERSHEY_SIMPLEX, 0.5,
                        new Scalar(0, 0, 0, 0), 1, LINE_AA, false);
            }
            write(file, img);
        }
    }

    private static double value(StepLosses l, int k) {
        return switch (k) {
            case 0 -> l.d();
            case 1 -> l.gan();
            default -> l.l1();
        };
    }

    private static Mat bgr(byte[] rgb, int size) {
        try (Mat m = new Mat(size, size, CV_8UC3)) {
            m.data().put(rgb);
            Mat out = new Mat();
            cvtColor(m, out, COLOR_RGB2BGR);
            return out;
        }
    }

    private static void write(Path file, Mat img) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!imwrite(file.toString(), img)) {
            throw new IllegalStateException("cannot write " + file);
        }
    }
}
