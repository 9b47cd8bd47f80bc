package io.dancestream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.trainer.ServeCheck;
import io.dancestream.trainer.VtestPairs;
import io.dancestream.trainer.data.BackgroundPlate;
import io.dancestream.trainer.model.Preset;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class TrainJobIT {

    private static final String STREAM = "vtest";

    @Test
    void trainsFromPairsExportsAndAnnouncesAModelThatLoadsInAFreshJvm(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        assumeTrue(VtestPairs.available(), "opencv-doc's vtest.avi is not installed");
        Topics topics = TestTopics.created(broker.clients(), "train");
        List<TrainingPair> pairs = VtestPairs.load(STREAM, 200, 192);
        assertThat(pairs).hasSize(200);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("it"))) {
            for (TrainingPair pair : pairs) {
                p.send(new ProducerRecord<>(topics.pairs(), STREAM, pair.toByteArray()));
            }
            // another stream's pair (ignored) and a corrupt record (to the DLQ)
            p.send(new ProducerRecord<>(topics.pairs(), "other", pairs.get(0).toBuilder().setStreamId("other").build().toByteArray()));
            p.send(new ProducerRecord<>(topics.pairs(), STREAM, "not a protobuf".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }

        TrainResult r = TrainJob.builder(broker.clients(), topics).streams(Set.of(STREAM)).preset(Preset.TINY)
                .maxSteps(40).checkpointEvery(20).sampleEvery(20).workDir(dir.resolve("work"))
                .modelStore(dir.resolve("store")).modelName("vtest-tiny").build().run();

        assertThat(r.steps()).isEqualTo(40);
        assertThat(r.trainFrames()).isEqualTo(180);
        assertThat(r.evaluation().frames()).isEqualTo(20);
        assertThat(Files.size(r.sampleGrid())).isGreaterThan(1000);
        assertThat(Files.exists(dir.resolve("work/samples/loss.png"))).isTrue();
        assertThat(Files.exists(dir.resolve("work/checkpoints/state.json"))).isTrue();

        // the ModelVersion on dance.models points at the export, and the checksum matches it
        List<ConsumerRecord<String, byte[]>> models = TestRecords.readAll(broker.clients().consumer(null), topics.models(), 1,
                Duration.ofSeconds(20));
        assertThat(models).hasSize(1);
        assertThat(models.get(0).key()).isEqualTo("vtest-tiny");
        ModelVersion mv = RecordSerdes.modelVersion().decode(topics.models(), 0, 0, models.get(0).value());
        assertThat(mv).isEqualTo(r.model());
        Path location = Path.of(mv.getLocation());
        assertThat(location).isAbsolute().startsWith(dir.resolve("store"));
        assertThat(mv.getSha256()).isEqualTo(ModelChecksum.of(location));
        assertThat(mv.getInputSize()).isEqualTo(32);
        assertThat(mv.getPreset()).isEqualTo("tiny");
        assertThat(mv.getSteps()).isEqualTo(40);
        assertThat(mv.getMetricsMap()).containsKeys("heldout_l1", "heldout_ssim", "baseline_l1", "baseline_ssim");
        // the serving-path evaluation: model and the three baselines, person box and whole frame
        assertThat(mv.getMetricsMap()).containsKeys("serve_person_l1", "serve_person_ssim", "serve_person_psnr",
                "serve_frame_ssim", "baseline_plate_person_l1", "baseline_mean_crop_person_ssim",
                "baseline_nearest_frame_psnr");
        assertThat(mv.getMetricsMap().get("serve_frames")).isEqualTo(20.0);
        // the plate is the held-out frames' own scene: the whole frame is close to it
        assertThat(mv.getMetricsMap().get("baseline_plate_frame_ssim")).isGreaterThan(0.85);
        assertThat(Files.size(dir.resolve("work/samples/heldout-sheet.png"))).isGreaterThan(1000);
        // the background plate of the frames ships in the model directory (so sha256 covers it) and is announced
        assertThat(mv.getGeometry()).isEqualTo(GeneratorSignature.PERSON_CROP);
        assertThat(mv.getBackgroundPlate()).isEqualTo(BackgroundPlate.FILE);
        try (org.bytedeco.opencv.opencv_core.Mat plate = io.dancestream.common.image.ImageCodec.decodeColor(
                Files.readAllBytes(location.resolve(mv.getBackgroundPlate())))) {
            assertThat(new int[] {plate.cols(), plate.rows()}).containsExactly(192, 144);
            assertThat(new int[] {mv.getPlateWidth(), mv.getPlateHeight()}).containsExactly(192, 144);
        }
        // where the target stands in those frames, for transfer-stream's pose normalization: the training
        // frames' person boxes (held-out ones left out), in plate pixels
        assertThat(mv.hasTargetFraming()).isTrue();
        var framing = io.dancestream.common.image.FramingStats.fromProto(mv.getTargetFraming());
        assertThat(framing.frames()).isEqualTo(180);
        assertThat(framing.farFootY()).isPositive().isLessThanOrEqualTo(framing.nearFootY());
        assertThat(framing.nearFootY()).isLessThanOrEqualTo(144);
        assertThat(framing.nearHeight()).isPositive().isLessThanOrEqualTo(144);
        assertThat(framing.farHeight()).isPositive().isLessThanOrEqualTo(144);
        assertThat(framing.meanCenterX()).isBetween(0.0, 192.0);

        // the corrupt record went to the DLQ with its reason
        List<ConsumerRecord<String, byte[]>> dlq = TestRecords.readAll(broker.clients().consumer(null), topics.dlq(), 1,
                Duration.ofSeconds(20));
        assertThat(dlq).hasSize(1);
        assertThat(new String(dlq.get(0).headers().lastHeader(io.dancestream.common.kafka.DeadLetterHeaders.STAGE).value(), StandardCharsets.UTF_8)).isEqualTo("trainer");

        // a fresh JVM loads the export as the renderer would and gets a 32x32 RGB image
        Process proc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServeCheck.class.getName(), location.toString(), "32")
                .redirectErrorStream(true).start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        proc.getInputStream().transferTo(log);
        assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = log.toString(StandardCharsets.UTF_8);
        assertThat(proc.exitValue()).as(out).isZero();
        assertThat(out).contains("SERVE-CHECK shape=1x32x32x3");

        // resume continues from the last checkpoint to the new step limit
        TrainResult more = TrainJob.builder(broker.clients(), topics).streams(Set.of(STREAM)).preset(Preset.TINY)
                .maxSteps(50).resume(true).workDir(dir.resolve("work")).modelStore(dir.resolve("store"))
                .modelName("vtest-tiny").publish(false).build().run();
        assertThat(more.steps()).isEqualTo(50);
    }
}
