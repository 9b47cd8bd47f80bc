package io.dancestream.bench.segment;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.segmentstream.quantize.BgrPixels;
import io.dancestream.segmentstream.quantize.ColorHistogram;
import io.dancestream.segmentstream.quantize.ColorLut;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.PaletteKMeans;
import io.dancestream.segmentstream.quantize.PixelAccuracy;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@code dance bench quantize} (old form {@code dance quantize --benchmark}): the numbers of issue 5 on one thread. Fit time covers
 * decoding the PNGs, the histogram, k-means and compiling the table; mapping speed is given for
 * the table pass alone, for the whole quantizer (table + border resolution + mode filter) and
 * with PNG decoding in front; accuracy of the fitted table against the naive nearest-palette
 * mapping on masks the fit did not see.
 */
final class QuantizeBenchmark {

    private final PrintStream out;

    QuantizeBenchmark(PrintStream out) {
        this.out = out;
    }

    void run(int n, long seed, SyntheticMasks gen, String corpus) {
        int w = 640;
        int h = 480;
        // generating is slow (JPEG + noise per mask) and not what is measured: at most 200
        // distinct masks, cycled; the fit still decodes and counts n masks' pixels
        int distinct = Math.min(n, 200);
        out.printf(Locale.ROOT, "generating %d perturbed %dx%d masks (%s, PNG, seed %d), fitting on %d...%n", distinct, w,
                h, corpus, seed, n);
        List<byte[]> unique = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            try (SyntheticMasks.Sample s = gen.next()) {
                unique.add(ImageCodec.encodePng(s.mask()));
            }
        }
        List<byte[]> pngs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pngs.add(unique.get(i % distinct));
        }
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        out.printf(Locale.ROOT, "load average %.1f on %d cores (wall times include waiting for a core; CPU = this thread's CPU time)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        ColorHistogram hist = new ColorHistogram();
        for (byte[] png : pngs) {
            try (Mat bgr = ImageCodec.decodeColor(png)) {
                hist.add(bgr);
            }
        }
        long t1 = System.nanoTime();
        QuantizerFit fit = new PaletteKMeans().fit(hist);
        long t2 = System.nanoTime();
        ColorLut lut = ColorLut.compile(fit);
        long t3 = System.nanoTime();
        long c3 = cpu.getCurrentThreadCpuTime();
        out.printf(Locale.ROOT, "fit on %d masks: %.1f s wall, %.1f s CPU (decode+histogram %.1f s wall, k-means %.3f s over %d bins, %d iterations, table %.3f s)%n",
                n, (t3 - t0) / 1e9, (c3 - c0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, hist.occupiedBins(), fit.iterations(),
                (t3 - t2) / 1e9);

        int m = Math.min(200, n);
        List<Mat> decoded = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            decoded.add(ImageCodec.decodeColor(pngs.get(i)));
        }
        byte[] codes = new byte[w * h];
        List<byte[]> raw = decoded.stream().map(BgrPixels::bytes).toList();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            long a = System.nanoTime();
            long ac = cpu.getCurrentThreadCpuTime();
            for (int rep = 0; rep < 5; rep++) {
                for (byte[] px : raw) {
                    lut.lookup(px, codes);
                }
            }
            double tableRate = 5.0 * m / ((System.nanoTime() - a) / 1e9);
            double tableCpu = 5.0 * m / ((cpu.getCurrentThreadCpuTime() - ac) / 1e9);
            MaskQuantizer q = new MaskQuantizer(fit, true);
            long b = System.nanoTime();
            long bc = cpu.getCurrentThreadCpuTime();
            for (Mat bgr : decoded) {
                q.quantize(bgr, w, h).classMap().close();
            }
            double fullRate = m / ((System.nanoTime() - b) / 1e9);
            double fullCpu = m / ((cpu.getCurrentThreadCpuTime() - bc) / 1e9);
            long c = System.nanoTime();
            long cc = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < m; i++) {
                q.quantize(pngs.get(i), w, h).classMap().close();
            }
            double decodeRate = m / ((System.nanoTime() - c) / 1e9);
            double decodeCpu = m / ((cpu.getCurrentThreadCpuTime() - cc) / 1e9);
            if (round == 1) {
                out.printf(Locale.ROOT, "mapping, one thread, masks/s wall (per CPU-second): table pass %.0f (%.0f); quantizer = table + border + mode filter %.0f (%.0f); with PNG decode %.0f (%.0f)%n",
                        tableRate, tableCpu, fullRate, fullCpu, decodeRate, decodeCpu);
            }
        }
        decoded.forEach(Mat::close);

        PixelAccuracy naive = new PixelAccuracy();
        PixelAccuracy fitted = new PixelAccuracy();
        MaskQuantizer fittedQ = new MaskQuantizer(fit, true);
        ColorLut naiveLut = ColorLut.compile(QuantizerFit.palette());
        for (int i = 0; i < 100; i++) {
            try (SyntheticMasks.Sample s = gen.next(); Mat a = naiveLut.mapPlain(s.mask());
                 Mat b = fittedQ.quantize(s.mask(), w, h).classMap()) {
                naive.add(s.truth(), a);
                fitted.add(s.truth(), b);
            }
        }
        out.println("accuracy on 100 held-out masks: naive nearest-palette " + naive.summary());
        out.println("accuracy on 100 held-out masks: fitted quantizer      " + fitted.summary());
    }
}
