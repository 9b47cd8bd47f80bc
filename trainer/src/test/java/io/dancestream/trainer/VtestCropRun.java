package io.dancestream.trainer;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.trainer.eval.Evaluation;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.train.TrainJob;
import io.dancestream.trainer.train.TrainResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The CPU run that must learn something: the cpu-realtime preset on person crops of the whole
 * vtest.avi (795 frames; part maps from the real pose segmenter, see {@link SegmentedPersonCrops};
 * the last 10 % in time held out), through a real broker, for a duration or a step count; {@code resume} continues from the checkpoint in {@code out/work}. Run by
 * {@link VtestCropTrainingIT}, or directly:
 * {@code java -cp ... io.dancestream.trainer.VtestCropRun OUT_DIR PT20M|STEPS [resume]}.
 */
final class VtestCropRun {

    private VtestCropRun() {
    }

    static TrainResult run(EmbeddedKafkaBroker broker, Path out, String limit, boolean resume) throws Exception {
        Topics topics = new Topics("longrun.dance.");
        TopicAdmin.ensureTopics(broker.clients().common(), topics.specs(), Duration.ofSeconds(30));
        SegmentedPersonCrops.Result crops = SegmentedPersonCrops.load("vtest-person", 795, Preset.CPU_REALTIME.size());
        System.out.println(crops.summary());
        List<TrainingPair> pairs = crops.pairs();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("longrun"))) {
            for (TrainingPair pair : pairs) {
                p.send(new ProducerRecord<>(topics.pairs(), pair.getStreamId(), pair.toByteArray()));
            }
        }
        TrainJob.Builder job = TrainJob.builder(broker.clients(), topics).streams(Set.of("vtest-person"))
                .preset(Preset.CPU_REALTIME).sampleEvery(1000).checkpointEvery(1000).resume(resume)
                .workDir(out.resolve("work")).modelStore(out.resolve("store")).modelName("vtest-person");
        if (limit.startsWith("P")) {
            job.maxDuration(Duration.parse(limit));
        } else {
            job.maxSteps(Long.parseLong(limit));
        }
        TrainResult r = job.build().run();
        Evaluation e = r.evaluation();
        System.out.printf("LONG-RUN pairs=%d train=%d heldout=%d steps=%d elapsed=%s L1 %.4f SSIM %.4f baseline L1 %.4f SSIM %.4f"
                        + " beats=%s grid=%s model=%s%n", pairs.size(), r.trainFrames(), e.frames(), r.steps(), r.elapsed(),
                e.heldoutL1(), e.heldoutSsim(), e.baselineL1(), e.baselineSsim(), e.beatsBaseline(), r.sampleGrid(), r.modelDir());
        return r;
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            TrainResult r = run(broker, Path.of(args[0]).toAbsolutePath(), args[1], args.length > 2 && args[2].equals("resume"));
            System.exit(r.evaluation().beatsBaseline() ? 0 : 3);
        }
    }
}
