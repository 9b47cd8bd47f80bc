package io.dancestream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.trainer.data.Batch;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TrainingSessionTest {

    private static final ModelConfig TINY = Preset.TINY.config();

    /** Two blobs of part ids on background, and an image that paints each part its own colour. */
    public static Batch fixedBatch(int n, int size, long seed) {
        Random rnd = new Random(seed);
        byte[] ids = new byte[n * size * size];
        float[] rgb = new float[n * size * size * 3];
        for (int b = 0; b < n; b++) {
            int cx = 8 + rnd.nextInt(size - 16);
            int cy = 8 + rnd.nextInt(size - 16);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int id = 0;
                    if (Math.abs(x - cx) < 5 && Math.abs(y - cy) < 7) {
                        id = y < cy ? 1 : 13;
                    }
                    int p = (b * size + y) * size + x;
                    ids[p] = (byte) id;
                    rgb[p * 3] = id == 0 ? 0.8f : id == 1 ? 0.6f : -0.7f;
                    rgb[p * 3 + 1] = id == 0 ? 0.8f : id == 1 ? 0.2f : -0.2f;
                    rgb[p * 3 + 2] = id == 0 ? 0.7f : id == 1 ? -0.1f : 0.5f;
                }
            }
        }
        return new Batch(n, size, ids, rgb);
    }

    @Test
    void lossDecreasesOnAFixedBatch() {
        Batch batch = fixedBatch(2, TINY.size(), 1);
        // a higher rate than pix2pix's 2e-4 so the tiny net moves within a few seconds
        try (TrainingSession s = new TrainingSession(TINY, 42, 2e-3f)) {
            StepLosses first = s.step(0, batch);
            StepLosses last = first;
            for (int i = 1; i < 60; i++) {
                last = s.step(i, batch);
            }
            assertThat(first.l1()).isGreaterThan(0.3f);
            assertThat(last.l1()).isLessThan(first.l1() * 0.5f);
            assertThat(last.g()).isLessThan(first.g());
            assertThat(Float.isFinite(last.d())).isTrue();
        }
    }

    @Test
    void resumeFromCheckpointGivesTheSameNextStepLoss(@TempDir Path dir) {
        Batch batch = fixedBatch(2, TINY.size(), 2);
        StepLosses uninterrupted;
        try (TrainingSession s = new TrainingSession(TINY, 7)) {
            for (int i = 0; i < 5; i++) {
                s.step(i, batch);
            }
            s.save(dir.resolve("ckpt"));
            uninterrupted = s.step(5, batch);
        }
        try (TrainingSession resumed = new TrainingSession(TINY, 7)) {
            // a fresh session differs from the trained one until the checkpoint is restored
            StepLosses fresh = resumed.step(0, batch);
            assertThat(fresh.l1()).isNotEqualTo(uninterrupted.l1());
        }
        try (TrainingSession resumed = new TrainingSession(TINY, 7)) {
            resumed.restore(dir.resolve("ckpt"));
            StepLosses next = resumed.step(5, batch);
            assertThat(next.d()).isCloseTo(uninterrupted.d(), org.assertj.core.data.Percentage.withPercentage(1e-3));
            assertThat(next.g()).isCloseTo(uninterrupted.g(), org.assertj.core.data.Percentage.withPercentage(1e-3));
            assertThat(next.l1()).isCloseTo(uninterrupted.l1(), org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
    }
}
