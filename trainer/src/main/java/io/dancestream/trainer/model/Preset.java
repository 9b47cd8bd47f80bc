package io.dancestream.trainer.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Model sizes. {@code cpu-realtime} is sized so the renderer keeps up with a live camera on two
 * CPU cores; the {@code gpu-quality} presets are pix2pix's own 256² / 512² with ngf 64;
 * {@code tiny} exists for tests and quick smoke models. Each {@code -temporal} preset is the same
 * network made two-frame (Everybody Dance Now's temporal smoothing: the generator also sees its
 * previous output, the discriminator judges consecutive pairs), a steadier video for some render
 * time; the single-frame presets stay the default.
 */
public enum Preset {
    TINY("tiny", 32, 4, 4, 1, false),
    TINY_TEMPORAL("tiny-temporal", 32, 4, 4, 1, true),
    CPU_REALTIME("cpu-realtime", 128, 16, 16, 1, false),
    CPU_REALTIME_TEMPORAL("cpu-realtime-temporal", 128, 16, 16, 1, true),
    GPU_QUALITY("gpu-quality", 256, 64, 64, 1, false),
    GPU_QUALITY_TEMPORAL("gpu-quality-temporal", 256, 64, 64, 1, true),
    GPU_QUALITY_512("gpu-quality-512", 512, 64, 64, 1, false);

    private final String id;
    private final int size;
    private final int ngf;
    private final int ndf;
    private final int batchSize;
    private final boolean temporal;

    Preset(String id, int size, int ngf, int ndf, int batchSize, boolean temporal) {
        this.id = id;
        this.size = size;
        this.ngf = ngf;
        this.ndf = ndf;
        this.batchSize = batchSize;
        this.temporal = temporal;
    }

    public String id() { return id; }
    /** Square input/output resolution. */
    public int size() { return size; }
    /** Generator filters in the first layer (doubling per level, capped at 8x). */
    public int ngf() { return ngf; }
    /** Discriminator filters in the first layer. */
    public int ndf() { return ndf; }
    public int batchSize() { return batchSize; }
    /** Two-frame generator (conditioned on its previous output). */
    public boolean temporal() { return temporal; }

    public ModelConfig config() {
        return new ModelConfig(size, ngf, ndf, temporal);
    }

    public static Preset of(String id) {
        String want = id.toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(p -> p.id.equals(want)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown preset '" + id + "' (known: "
                        + String.join(", ", Arrays.stream(values()).map(Preset::id).toList()) + ")"));
    }

    @Override
    public String toString() {
        return id;
    }
}
