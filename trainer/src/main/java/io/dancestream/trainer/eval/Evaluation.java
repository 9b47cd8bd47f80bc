package io.dancestream.trainer.eval;

import io.dancestream.trainer.data.Augment;
import io.dancestream.trainer.data.Batch;
import io.dancestream.trainer.data.Sample;
import io.dancestream.trainer.model.TrainingSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation: L1 and SSIM of generated vs real frames, and of the baseline "mean
 * training frame" vs the same real frames. A model has learned something when it beats the
 * baseline on both.
 */
public record Evaluation(double heldoutL1, double heldoutSsim, double baselineL1, double baselineSsim, int frames) {

    public boolean beatsBaseline() {
        return heldoutL1 < baselineL1 && heldoutSsim > baselineSsim;
    }

    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("heldout_l1", heldoutL1);
        m.put("heldout_ssim", heldoutSsim);
        m.put("baseline_l1", baselineL1);
        m.put("baseline_ssim", baselineSsim);
        m.put("heldout_frames", (double) frames);
        return m;
    }

    /** Evaluates the session's generator (dropout off) on the held-out samples. */
    public static Evaluation of(TrainingSession session, List<Sample> heldout, byte[] meanFrame) {
        int size = session.config().size();
        double l1 = 0;
        double ssim = 0;
        double bl1 = 0;
        double bssim = 0;
        int chunk = 8;
        for (int from = 0; from < heldout.size(); from += chunk) {
            List<Sample> part = heldout.subList(from, Math.min(heldout.size(), from + chunk));
            byte[][] generated = generate(session, part);
            for (int i = 0; i < part.size(); i++) {
                byte[] real = part.get(i).rgb();
                l1 += ImageMetrics.l1(generated[i], real);
                ssim += ImageMetrics.ssim(generated[i], real, size);
                bl1 += ImageMetrics.l1(meanFrame, real);
                bssim += ImageMetrics.ssim(meanFrame, real, size);
            }
        }
        int n = heldout.size();
        return new Evaluation(l1 / n, ssim / n, bl1 / n, bssim / n, n);
    }

    /** RGB bytes of the generator's output for each sample, exactly as the served model returns them. */
    public static byte[][] generate(TrainingSession session, List<Sample> samples) {
        int size = session.config().size();
        Batch b = Augment.exact(samples, size);
        float[] out = session.generate(b.classIds(), b.n());
        byte[][] images = new byte[b.n()][size * size * 3];
        for (int i = 0; i < b.n(); i++) {
            for (int p = 0; p < size * size * 3; p++) {
                float v = out[i * size * size * 3 + p];
                images[i][p] = (byte) Math.round(Math.max(0, Math.min(255, (v + 1) * 127.5)));
            }
        }
        return images;
    }
}
