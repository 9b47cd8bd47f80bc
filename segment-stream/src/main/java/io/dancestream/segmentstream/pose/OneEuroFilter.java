package io.dancestream.segmentstream.pose;

/**
 * The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
 * with speed, so a still landmark stops jittering while a fast one does not lag.
 */
final class OneEuroFilter {

    private final double minCutoff;
    private final double beta;
    private final double derivativeCutoff;
    private boolean initialized;
    private double value;
    private double derivative;

    OneEuroFilter(double minCutoff, double beta, double derivativeCutoff) {
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.derivativeCutoff = derivativeCutoff;
    }

    double filter(double x, double dtSeconds) {
        if (!initialized) {
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

    private static double alpha(double cutoff, double dt) {
        double tau = 1 / (2 * Math.PI * cutoff);
        return 1 / (1 + tau / dt);
    }
}
