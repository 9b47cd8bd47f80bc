package io.dancestream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.trainer.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link VtestServeRun}: off unless {@code -Ddance.trainer.serveRun=PT3M} (minutes of training;
 * {@code -Ddance.trainer.serveFrames=400}). Output stays in target/vtest-serve.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class VtestServeIT {

    @Test
    void servingPathEvaluationOnRealPartMaps(EmbeddedKafkaBroker broker) throws Exception {
        String limit = VtestPairs.optIn("dance.trainer.serveRun", "PT3M");
        Path out = Path.of("target", "vtest-serve").toAbsolutePath();
        TrainResult r = VtestServeRun.run(broker, out, Integer.getInteger("dance.trainer.serveFrames", 400),
                Duration.parse(limit));
        var m = r.model().getMetricsMap();
        assertThat(m).containsKeys("serve_person_l1", "baseline_nearest_person_ssim");
        // a floor only: the plate alone passes it, so it proves nothing about the person
        assertThat(m.get("serve_frame_ssim")).isGreaterThan(0.85);
        assertThat(Files.exists(out.resolve("work/samples/heldout-sheet.png"))).isTrue();
    }
}
