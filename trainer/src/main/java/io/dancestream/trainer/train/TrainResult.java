package io.dancestream.trainer.train;

import io.dancestream.common.proto.ModelVersion;
import io.dancestream.trainer.data.TrainingTrack;
import io.dancestream.trainer.eval.Evaluation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a training run produced: the published model (null when not published), its
 * evaluation, the steps done, the track it learned from, and the PNGs written.
 */
public record TrainResult(ModelVersion model, Path modelDir, Evaluation evaluation, long steps, Duration elapsed,
                          String device, int trainFrames, TrainingTrack track, Path sampleGrid, Path lossCurve) {
}
