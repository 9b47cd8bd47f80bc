package io.dancestream.segmentstream.stream;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.records.Timings;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.OnlineRefitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running segment-stream service: the live Streams app and (unless disabled) the pairs
 * Streams app, sharing one segmenter, quantizer and metrics. Usable in-process (tests, demo,
 * benchmark) and from {@code dance segment-stream}.
 */
public final class SegmentStreamApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentStreamApp.class);

    /**
     * @param streamThreads  live stream threads (each segments its partitions' frames)
     * @param liveCommitMs   live commit interval (bounds re-processing after a crash)
     * @param pairsCommitMs  pairs commit interval (delay before read_committed readers see a pair)
     * @param stateDir       Streams state directory, or null for the default
     * @param pairs          run the pairs app
     */
    public record Options(int streamThreads, long liveCommitMs, long pairsCommitMs, String stateDir, boolean pairs) {
        public static Options defaults() {
            return new Options(1, StreamsSettings.DEFAULT_LIVE_COMMIT_MS, StreamsSettings.DEFAULT_PAIRS_COMMIT_MS, null,
                    true);
        }

        public Options withStateDir(String dir) {
            return new Options(streamThreads, liveCommitMs, pairsCommitMs, dir, pairs);
        }

        public Options withPairs(boolean on) {
            return new Options(streamThreads, liveCommitMs, pairsCommitMs, stateDir, on);
        }
    }

    private final List<KafkaStreams> apps = new ArrayList<>();

    private SegmentStreamApp() {
    }

    public static SegmentStreamApp start(KafkaClients clients, SegmentStreamConfig cfg, Segmenter segmenter,
                                         MaskQuantizer quantizer, OnlineRefitter refitter, DanceMetrics metrics,
                                         Options opts) {
        SegmentMeters meters = new SegmentMeters(metrics, segmenter.modelId());
        metrics.modelInfo(segmenter.config().variant().modelName(), segmenter.modelId());
        SegmentStreamApp app = new SegmentStreamApp();
        app.apps.add(new KafkaStreams(
                SegmentTopologies.live(cfg, segmenter, quantizer, refitter, meters, Timings::nowMicros),
                StreamsSettings.live(clients.common(), cfg.topics(), cfg.mode(), opts.streamThreads(), opts.liveCommitMs(),
                        opts.stateDir(), metrics)));
        if (opts.pairs()) {
            app.apps.add(new KafkaStreams(SegmentTopologies.pairs(cfg, meters),
                    StreamsSettings.pairs(clients.common(), cfg.topics(), opts.pairsCommitMs(), opts.stateDir(),
                            metrics)));
        }
        for (KafkaStreams s : app.apps) {
            // processing errors go to the DLQ; anything else (a lost broker) restarts the thread
            s.setUncaughtExceptionHandler(e -> {
                LOG.error("stream thread failed, replacing it: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            s.start();
        }
        return app;
    }

    public List<KafkaStreams> streams() {
        return List.copyOf(apps);
    }

    public boolean isRunning() {
        return apps.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    /** Waits until every app is RUNNING; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (isRunning()) {
                return true;
            }
            Thread.sleep(50);
        }
        return isRunning();
    }

    @Override
    public void close() {
        for (KafkaStreams s : apps) {
            s.close(Duration.ofSeconds(30));
        }
    }
}
