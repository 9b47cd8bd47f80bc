package io.dancestream.common.config;

import java.util.Locale;

/**
 * Process-wide settings of TensorFlow's CPU thread pools, read from the environment.
 *
 * <p>Why process-wide: in one JVM, TensorFlow makes its intra-op (Eigen) and inter-op thread pools
 * when the first session is created, with that session's options, and every later session runs on
 * them. A second session's thread counts or spinning flag are ignored (measured: a session with 2 + 2
 * threads after one with 1 + 1 adds no thread; docs/profile-realtime.md §6). So a setting that shapes
 * the pools must be the same for every model in the process: the segmenter, the generator and the
 * trainer read it here.
 *
 * <p>{@value #SPINNING_ENV}: {@code on} (TensorFlow's default) lets idle pool threads spin a while
 * before they sleep, which saves a wake-up when runs follow each other closely; {@code off} makes
 * them sleep at once, so they leave the cores to other work. On the 2-core development VM, turning
 * it off did not help the live path or the streaming ratio (docs/profile-realtime.md §6), so the
 * default is TensorFlow's own.
 */
public final class TensorFlowThreads {

    public static final String SPINNING_ENV = "DANCE_TF_SPINNING";

    private TensorFlowThreads() {
    }

    /** True unless {@value #SPINNING_ENV} is {@code off}; any other value than on/off is an error. */
    public static boolean spinning() {
        return spinning(System.getenv(SPINNING_ENV));
    }

    static boolean spinning(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(SPINNING_ENV + " must be on or off, is '" + value + "'");
        };
    }
}
