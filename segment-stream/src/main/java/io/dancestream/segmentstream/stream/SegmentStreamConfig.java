package io.dancestream.segmentstream.stream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.Topics;
import java.time.Duration;

/**
 * What the segment-stream topologies need to know.
 *
 * @param maxFrameAge live mode: a frame older than this when it reaches the segmenter is skipped
 * @param pairWindow  how long a frame or a segmentation waits for its partner in the pair join
 */
public record SegmentStreamConfig(Topics topics, Mode mode, Duration maxFrameAge, TrainingStreams training,
                                  Duration pairWindow) {

    public static final Duration DEFAULT_MAX_FRAME_AGE = Duration.ofMillis(500);
    public static final Duration DEFAULT_PAIR_WINDOW = Duration.ofSeconds(30);

    public static SegmentStreamConfig defaults(Topics topics) {
        return new SegmentStreamConfig(topics, Mode.live, DEFAULT_MAX_FRAME_AGE, TrainingStreams.headerOnly(),
                DEFAULT_PAIR_WINDOW);
    }

    public SegmentStreamConfig withMode(Mode m) {
        return new SegmentStreamConfig(topics, m, maxFrameAge, training, pairWindow);
    }

    public SegmentStreamConfig withTraining(TrainingStreams t) {
        return new SegmentStreamConfig(topics, mode, maxFrameAge, t, pairWindow);
    }

    public SegmentStreamConfig withMaxFrameAge(Duration d) {
        return new SegmentStreamConfig(topics, mode, d, training, pairWindow);
    }

    public SegmentStreamConfig withPairWindow(Duration d) {
        return new SegmentStreamConfig(topics, mode, maxFrameAge, training, d);
    }
}
