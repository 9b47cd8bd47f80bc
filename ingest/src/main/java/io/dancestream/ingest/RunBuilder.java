package io.dancestream.ingest;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/** What every ingest run's builder takes besides its own settings: the progress bar and when to stop. */
public abstract class RunBuilder<B extends RunBuilder<B>> {

    private boolean progress;
    private BooleanSupplier stopWhen = () -> false;

    /** A progress bar on stderr (shown only on a terminal). */
    public B progress(boolean progress) {
        this.progress = progress;
        return self();
    }

    /** Polled while running: true ends the run (e.g. {@code runtime::stopRequested}). */
    public B stopWhen(BooleanSupplier stopWhen) {
        this.stopWhen = Objects.requireNonNull(stopWhen);
        return self();
    }

    public boolean showsProgress() {
        return progress;
    }

    public boolean stopRequested() {
        return stopWhen.getAsBoolean();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
