package io.dancestream.common.service;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The project's progress bar (me.tongfei progressbar, ASCII, on stderr): count, speed, ETA and an
 * optional message. A closed or unwanted one does nothing, so callers need no null checks.
 */
public final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Frames of an ingest, replay or export, shown only on a terminal (quiet in pipes, CI, tests).
     *
     * @param total frames expected, or -1 when unknown (no ETA then)
     */
    public static Progress start(String task, long total, boolean wanted) {
        if (!wanted || System.console() == null) {
            return new Progress(null);
        }
        return new Progress(builder(task, " frames", total).setUpdateIntervalMillis(250).build());
    }

    /**
     * Steps of a long job (training), from step {@code from}, redrawn even between steps so the
     * elapsed time moves; shown whenever wanted.
     *
     * @param total steps in all, or -1 when unknown
     */
    public static Progress steps(String task, long total, long from, boolean wanted) {
        if (!wanted) {
            return new Progress(null);
        }
        return new Progress(builder(task, " steps", total).startsFrom(from, Duration.ZERO)
                .setUpdateIntervalMillis(500).continuousUpdate().build());
    }

    private static ProgressBarBuilder builder(String task, String unit, long total) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
    }

    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    public void stepTo(long n, String message) {
        if (bar != null) {
            bar.stepTo(n);
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
