package io.dancestream.common.config;

import java.util.Locale;

/**
 * How every TensorFlow session of the project treats its CPU thread pools, read from the environment.
 *
 * <p>Every session the project makes asks for pools of its own ({@code use_per_session_threads}).
 * Without that, TensorFlow makes one intra-op (Eigen) and one inter-op pool per process, from the
 * first session's options, and every later session runs on them with its own thread counts ignored
 * (docs/profile-realtime.md §6); a one-thread segmenter beside a generator then silently ran on
 * whatever the other had asked for. The segmenter, the generator and the trainer each read the
 * spinning setting here.
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
