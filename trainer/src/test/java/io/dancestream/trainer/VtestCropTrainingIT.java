package io.dancestream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.trainer.train.TrainResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CPU run must beat the mean training frame on held-out L1 and SSIM. Off unless
 * {@code -Ddance.trainer.longRun=PT20M} (or a step count) is given: it takes minutes. Results
 * and sample grids stay in target/vtest-run.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class VtestCropTrainingIT {

    @Test
    void cpuRunBeatsTheMeanFrameBaseline(EmbeddedKafkaBroker broker) throws Exception {
        String limit = VtestPairs.optIn("dance.trainer.longRun", "PT20M");
        TrainResult r = VtestCropRun.run(broker, Path.of("target", "vtest-run").toAbsolutePath(), limit,
                Boolean.getBoolean("dance.trainer.resume"));
        assertThat(r.evaluation().heldoutL1()).isLessThan(r.evaluation().baselineL1());
        assertThat(r.evaluation().heldoutSsim()).isGreaterThan(r.evaluation().baselineSsim());
    }
}
