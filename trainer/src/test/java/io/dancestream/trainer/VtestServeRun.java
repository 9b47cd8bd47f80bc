package io.dancestream.trainer;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.TopicAdmin;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.TrainingPair;
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
 * A look at the person-centred model on the serving path: whole vtest.avi frames with part maps
 * from the real pose segmenter (as segment-stream publishes them), the cpu-realtime preset for a
 * duration, then the serving-path evaluation (its table in the log, the contact sheet in
 * {@code OUT/work/samples/heldout-sheet.png}, the plate in the exported model). Run by
 * {@link VtestServeIT} with {@code -Ddance.trainer.serveRun=PT3M}.
 */
final class VtestServeRun {

    private VtestServeRun() {
    }

    static TrainResult run(EmbeddedKafkaBroker broker, Path out, int frames, Duration limit) throws Exception {
        Topics topics = new Topics("serverun.dance.");
        TopicAdmin.ensureTopics(broker.clients().common(), topics.specs(), Duration.ofSeconds(30));
        SegmentedPersonCrops.Result segmented = SegmentedPersonCrops.load("vtest", frames, 0);
        System.out.println(segmented.summary());
        List<TrainingPair> pairs = segmented.pairs();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("serverun"))) {
            for (TrainingPair pair : pairs) {
                p.send(new ProducerRecord<>(topics.pairs(), pair.getStreamId(), pair.toByteArray()));
            }
        }
        TrainResult r = TrainJob.builder(broker.clients(), topics).streams(Set.of("vtest")).preset(Preset.CPU_REALTIME)
                .maxDuration(limit).sampleEvery(1000).checkpointEvery(1000).workDir(out.resolve("work"))
                .modelStore(out.resolve("store")).modelName("vtest-serve").build().run();
        System.out.println("SERVE-RUN steps=" + r.steps() + " model=" + r.modelDir() + " metrics=" + r.model().getMetricsMap());
        return r;
    }
}
