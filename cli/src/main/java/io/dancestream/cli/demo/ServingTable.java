package io.dancestream.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's held-out table: the trainer's serving-path evaluation as {@code ModelVersion} metrics
 * ({@code serve_*}, {@code baseline_plate_*}, {@code baseline_mean_crop_*},
 * {@code baseline_nearest_*}): the held-out frames (the last of the target's track in time)
 * rendered as transfer-stream renders them, scored in the real person's box and over the whole
 * frame, against (a) the plate alone, (b) the mean training crop and (c) the nearest training crop
 * by part-map IoU, all through the same placement and plate. The verdicts say "beats" only when
 * the model's person-box L1 is lower <em>and</em> its SSIM higher than the baseline's.
 */
record ServingTable(Row model, Row plateOnly, Row meanCrop, Row nearest, int frames, Map<String, Double> metrics) {

    /** The whole frame's SSIM a render must keep so that it never damages the scene (issue 18, item 7). */
    static final double FRAME_SSIM_FLOOR = 0.85;

    record Row(String name, double personL1, double personSsim, double personPsnr, double frameSsim) {

        static Row of(String name, Map<String, Double> m, String prefix) {
            Double l1 = m.get(prefix + "_person_l1");
            Double ssim = m.get(prefix + "_person_ssim");
            Double psnr = m.get(prefix + "_person_psnr");
            Double frame = m.get(prefix + "_frame_ssim");
            return l1 == null || ssim == null || psnr == null || frame == null ? null
                    : new Row(name, l1, ssim, psnr, frame);
        }
    }

    /** The table, or null when the model has no serving-path evaluation (a whole-frame model, no plate). */
    static ServingTable of(Map<String, Double> metrics) {
        Row model = Row.of("model", metrics, "serve");
        Row a = Row.of("(a) plate only", metrics, "baseline_plate");
        Row b = Row.of("(b) mean person crop", metrics, "baseline_mean_crop");
        Row c = Row.of("(c) nearest neighbour", metrics, "baseline_nearest");
        if (model == null || a == null || b == null || c == null) {
            return null;
        }
        return new ServingTable(model, a, b, c, (int) Math.round(metrics.getOrDefault("serve_frames", 0.0)), metrics);
    }

    boolean beats(Row baseline) {
        return model.personL1() < baseline.personL1() && model.personSsim() > baseline.personSsim();
    }

    List<Row> baselines() {
        return List.of(plateOnly, meanCrop, nearest);
    }

    /** One line for the training step, e.g. "beats (a) and (b), does NOT beat (c)". */
    String verdict() {
        List<String> won = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (Row r : baselines()) {
            (beats(r) ? won : lost).add(r.name().substring(0, 3));
        }
        if (lost.isEmpty()) {
            return "beats every baseline (a), (b) and (c) in the person box";
        }
        if (won.isEmpty()) {
            return "does NOT beat any baseline in the person box (train longer)";
        }
        return "beats " + String.join(" and ", won) + ", does NOT beat " + String.join(" or ", lost)
                + " in the person box";
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Held-out evaluation on the serving path: %d frames (the last of the target's "
                + "track in time), each rendered from its own part map as transfer-stream renders it (crop → generator → "
                + "placement → blend over the plate); person box = the real person's, dilated 8 px:%n", frames));
        sb.append(String.format(Locale.ROOT, "  %-24s %10s %12s %12s %11s%n", "", "person L1", "person SSIM",
                "person PSNR", "frame SSIM"));
        for (Row r : List.of(model, plateOnly, meanCrop, nearest)) {
            sb.append(String.format(Locale.ROOT, "  %-24s %10.4f %12.4f %9.2f dB %11.4f%n", r.name(), r.personL1(),
                    r.personSsim(), r.personPsnr(), r.frameSsim()));
        }
        for (Row r : baselines()) {
            sb.append(String.format(Locale.ROOT, "  model vs %-22s %s (person L1 %.4f vs %.4f, SSIM %.4f vs %.4f)%n",
                    r.name() + ":", beats(r) ? "beats it" : "does NOT beat it", model.personL1(), r.personL1(),
                    model.personSsim(), r.personSsim()));
        }
        if (!beats(nearest)) {
            sb.append("  (c) is what a retrieval system would show: the closest training crop by part map. The model does"
                    + " not beat it yet; longer training (a GPU run) is what should.\n");
        }
        sb.append(String.format(Locale.ROOT, "  whole-frame SSIM %.4f: %s the %.2f floor (a floor only: the plate alone "
                        + "scores %.4f, so it says the render keeps the scene, nothing about the person)%n",
                model.frameSsim(), model.frameSsim() >= FRAME_SSIM_FLOOR ? "meets" : "is BELOW", FRAME_SSIM_FLOOR,
                plateOnly.frameSsim()));
        Double flicker = metrics.get("serve_flicker_ratio");
        if (flicker != null) {
            double r = flicker;
            sb.append(String.format(Locale.ROOT, "  steadiness over %d consecutive held-out frames: flicker ratio %.3f (render "
                            + "change / real change in the person; 1.0 = as steady as the real video, %s), warping error %.4f "
                            + "(real video %.4f); (b) mean crop %.3f, (c) nearest %.3f, the model with each frame's own crop "
                            + "box %.3f%n",
                    Math.round(metrics.getOrDefault("flicker_pairs", 0.0)), r,
                    r < 0.7 ? "below 0.7: smeared or frozen" : r > 1.3 ? "above 1.3: it flickers" : "within 0.7-1.3",
                    metrics.getOrDefault("serve_warp_error", Double.NaN), metrics.getOrDefault("real_warp_error", Double.NaN),
                    metrics.getOrDefault("baseline_mean_crop_flicker_ratio", Double.NaN),
                    metrics.getOrDefault("baseline_nearest_flicker_ratio", Double.NaN),
                    metrics.getOrDefault("serve_raw_box_flicker_ratio", Double.NaN)));
        }
        return sb.toString();
    }
}
