package io.dancestream.transferstream;

import io.dancestream.common.config.Mode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a transfer-stream instance is configured with (command line, demo, tests).
 *
 * @param batchSize frames per inference batch (1 = no batching: the live default on CPU)
 * @param batchWait longest a frame waits for its batch to fill
 * @param backgroundPlate image to compose the rendered person over, or null
 */
public record TransferSettings(Topics topics, LatencyPolicy policy, int batchSize, Duration batchWait, int jpegQuality,
                               Path backgroundPlate, ModelSelection selection) {

    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(500);

    public TransferSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, is " + batchSize);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, is " + jpegQuality);
        }
    }

    /** Live mode, default budget, no batching, latest model. */
    public static TransferSettings defaults(Topics topics) {
        return new TransferSettings(topics, LatencyPolicy.live(DEFAULT_BUDGET), 1, Duration.ofMillis(20),
                ImageCodec.DEFAULT_JPEG_QUALITY, null, ModelSelection.latest());
    }

    public TransferSettings withMode(Mode mode, Duration budget) {
        return new TransferSettings(topics, mode == Mode.replay ? LatencyPolicy.replay() : LatencyPolicy.live(budget),
                batchSize, batchWait, jpegQuality, backgroundPlate, selection);
    }

    public TransferSettings withBatch(int size, Duration wait) {
        return new TransferSettings(topics, policy, size, wait, jpegQuality, backgroundPlate, selection);
    }

    public TransferSettings withBackground(Path plate) {
        return new TransferSettings(topics, policy, batchSize, batchWait, jpegQuality, plate, selection);
    }

    public TransferSettings withSelection(ModelSelection s) {
        return new TransferSettings(topics, policy, batchSize, batchWait, jpegQuality, backgroundPlate, s);
    }

    public TransferSettings withJpegQuality(int quality) {
        return new TransferSettings(topics, policy, batchSize, batchWait, quality, backgroundPlate, selection);
    }
}
