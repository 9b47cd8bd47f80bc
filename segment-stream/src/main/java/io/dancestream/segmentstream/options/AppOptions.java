package io.dancestream.segmentstream.options;

import io.dancestream.segmentstream.stream.SegmentStreamApp;
import picocli.CommandLine.Option;

/** The two Streams apps' commit intervals and whether the pairs app runs: segment-stream's and its benchmark's. */
public final class AppOptions {

    @Option(names = "--live-commit-ms", defaultValue = "" + SegmentStreamApp.DEFAULT_LIVE_COMMIT_MS,
            description = "Live app commit.interval.ms (default ${DEFAULT-VALUE}).")
    long liveCommitMs;

    @Option(names = "--pairs-commit-ms", defaultValue = "" + SegmentStreamApp.DEFAULT_PAIRS_COMMIT_MS,
            description = "Pairs app (exactly_once_v2) commit.interval.ms (default ${DEFAULT-VALUE}).")
    long pairsCommitMs;

    @Option(names = "--no-pairs", description = "Do not run the pairs app.")
    boolean noPairs;

    public long pairsCommitMs() {
        return pairsCommitMs;
    }

    public boolean pairs() {
        return !noPairs;
    }

    public SegmentStreamApp.Options options(int streamThreads, String stateDir) {
        return new SegmentStreamApp.Options(streamThreads, liveCommitMs, pairsCommitMs, stateDir, !noPairs);
    }
}
