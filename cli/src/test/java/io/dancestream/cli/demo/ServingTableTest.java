package io.dancestream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingTableTest {

    private static void put(Map<String, Double> m, String prefix, double l1, double ssim, double psnr, double frameSsim) {
        m.put(prefix + "_person_l1", l1);
        m.put(prefix + "_person_ssim", ssim);
        m.put(prefix + "_person_psnr", psnr);
        m.put(prefix + "_frame_ssim", frameSsim);
    }

    private static Map<String, Double> metrics(double nearestL1, double nearestSsim) {
        Map<String, Double> m = new HashMap<>();
        put(m, "serve", 0.10, 0.50, 18.0, 0.93);
        put(m, "baseline_plate", 0.20, 0.40, 14.0, 0.94);
        put(m, "baseline_mean_crop", 0.15, 0.45, 16.0, 0.935);
        put(m, "baseline_nearest", nearestL1, nearestSsim, 19.0, 0.93);
        m.put("serve_frames", 35.0);
        m.put("heldout_l1", 0.08); // the old crop-space numbers are not shown
        return m;
    }

    @Test
    void saysBeatsOnlyWhenTheModelWinsOnBothPersonBoxL1AndSsim() {
        ServingTable lostToC = ServingTable.of(metrics(0.09, 0.55));
        assertThat(lostToC.beats(lostToC.plateOnly())).isTrue();
        assertThat(lostToC.beats(lostToC.meanCrop())).isTrue();
        assertThat(lostToC.beats(lostToC.nearest())).isFalse();
        assertThat(lostToC.verdict()).isEqualTo("beats (a) and (b), does NOT beat (c) in the person box");
        assertThat(lostToC.table()).contains("35 frames")
                .contains("model vs (c) nearest neighbour: does NOT beat it")
                .contains("model vs (a) plate only:        beats it")
                .contains("The model does not beat it yet")
                .contains("whole-frame SSIM 0.9300: meets the 0.85 floor").doesNotContain("mean-frame");

        // better L1 but worse SSIM is not "beats"
        ServingTable mixed = ServingTable.of(metrics(0.12, 0.55));
        assertThat(mixed.beats(mixed.nearest())).isFalse();

        ServingTable won = ServingTable.of(metrics(0.12, 0.48));
        assertThat(won.verdict()).isEqualTo("beats every baseline (a), (b) and (c) in the person box");
        assertThat(won.table()).doesNotContain("does NOT beat").doesNotContain("does not beat it yet");
    }

    @Test
    void aModelWithoutServingMetricsHasNoTable() {
        assertThat(ServingTable.of(Map.of("heldout_l1", 0.08, "heldout_ssim", 0.4))).isNull();
        Map<String, Double> m = metrics(0.09, 0.55);
        m.put("serve_frame_ssim", 0.80);
        assertThat(ServingTable.of(m).table()).contains("is BELOW the 0.85 floor");
    }
}
