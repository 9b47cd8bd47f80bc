package io.dancestream.bench.segment;

/**
 * The streaming benchmark's ratios on a VM whose speed drifts between minutes: the bare loop runs
 * before and after every through-Kafka run, and each Kafka run is divided by the mean of the two
 * bare runs around it (an A-B-A design), so a speed change that is steady over the three runs
 * cancels instead of landing on one side of the ratio.
 */
final class BracketedRatios {

    private BracketedRatios() {
    }

    /** {@code kafka / mean(bareBefore, bareAfter)}. */
    static double ratio(double bareBefore, double kafka, double bareAfter) {
        return kafka / ((bareBefore + bareAfter) / 2);
    }

    /**
     * What the median of the rounds' ratios is called: by the project's one percentile definition
     * (common's {@code Percentiles}, nearest rank) an even count's median is the lower middle ratio.
     */
    static String medianLabel(int rounds) {
        return rounds % 2 == 0 ? "lower median" : "median";
    }
}
