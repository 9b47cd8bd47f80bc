package io.dancestream.segmentstream.tfjs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Arithmetic of a model's session. {@link #BF16} turns on TensorFlow's oneDNN bfloat16
 * auto-mixed-precision rewrite: convolutions run in bfloat16 where the CPU has AVX512_BF16.
 * Measured on a 2-core AVX-512 EPYC (docs/benchmarks-segment.md): 18–59 % more frames/s for lite and heavy (full −9..+47 %), but
 * body landmarks move by 2–5 px on average (up to 16 px) in a 256-px input and the person mask
 * keeps only 0.94–0.97 IoU with float32, so it is an option, never the default.
 */
public enum Precision {
    FP32, BF16;

    /** Applies this precision to a session configuration. */
    public ConfigProto.Builder apply(ConfigProto.Builder config) {
        if (this == BF16) {
            config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
        }
        return config;
    }

    /**
     * Why bfloat16 will not pay off in this process, or null when it can: the rewrite exists
     * only with oneDNN on, and without AVX512_BF16 (or AMX) bfloat16 is emulated, which is slower.
     */
    public static String bf16Caveat() {
        if ("0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS"))) {
            return "TF_ENABLE_ONEDNN_OPTS=0 turns oneDNN off, and with it the bfloat16 rewrite";
        }
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo")).toLowerCase(Locale.ROOT);
            if (!flags.contains("avx512_bf16") && !flags.contains("amx_bf16")) {
                return "this CPU has neither AVX512_BF16 nor AMX: bfloat16 would be emulated, slower than float32";
            }
            return null;
        } catch (IOException e) {
            return "cannot read /proc/cpuinfo to check for AVX512_BF16: " + e.getMessage();
        }
    }
}
