package io.dancestream.trainer;

import io.dancestream.common.proto.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a training run produced: the published model (null when not published), its
 * evaluation, the steps done, the track it learned from, and the PNGs written.
 */
public record TrainResult(ModelVersion model, Path modelDir, Evaluation evaluation, long steps, Duration elapsed,
                          String device, int trainFrames, TrainingTrack track, Path sampleGrid, Path lossCurve) {
}
