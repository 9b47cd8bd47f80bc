package io.dancestream.common.image;

/**
 * The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
 * with speed, so a still value stops jittering while a fast one does not lag. segment-stream
 * smooths landmarks with it and transfer-stream the person crop ({@link CropSmoother}); its
 * state ({@link #value}, {@link #derivative}) can be saved and {@link #restore restored}, so a
 * restarted service continues a stream's filter rather than starting it over.
 */
public final class OneEuroFilter {

    private final double minCutoff;
    private final double beta;
    private final double derivativeCutoff;
    private boolean initialized;
    private double value;
    private double derivative;

    public OneEuroFilter(double minCutoff, double beta, double derivativeCutoff) {
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.derivativeCutoff = derivativeCutoff;
    }

    public double filter(double x, double dtSeconds) {
        if (!initialized || !(dtSeconds > 0)) {
            initialized = true;
            value = x;
            derivative = 0;
            return x;
        }
        double dx = (x - value) / dtSeconds;
        derivative += alpha(derivativeCutoff, dtSeconds) * (dx - derivative);
        double cutoff = minCutoff + beta * Math.abs(derivative);
        value += alpha(cutoff, dtSeconds) * (x - value);
        return value;
    }

    /** The filtered value so far (meaningless before the first {@link #filter}). */
    public double value() {
        return value;
    }

    /** The filtered speed so far, per second. */
    public double derivative() {
        return derivative;
    }

    /** Continues from a saved state, as if the frames that led to it had been filtered here. */
    public OneEuroFilter restore(double savedValue, double savedDerivative) {
        initialized = true;
        value = savedValue;
        derivative = savedDerivative;
        return this;
    }

    private static double alpha(double cutoff, double dt) {
        double tau = 1 / (2 * Math.PI * cutoff);
        return 1 / (1 + tau / dt);
    }
}
