package io.dancestream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.ModelChecksum;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.trainer.TrainerMain;
import io.dancestream.trainer.VtestPairs;
import io.dancestream.trainer.model.StepLosses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dance train} in its own JVM, killed with SIGKILL ({@link Process#destroyForcibly()})
 * at a random moment after it has checkpointed, often in the middle of the next checkpoint
 * write, then started again with {@code --resume}: it continues from the step of its last
 * checkpoint on disk (not from 0), finishes, and publishes exactly one ModelVersion whose
 * checksum matches the exported files. The killed run published nothing.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerKillResumeIT {

    private static final String STREAM = "vtest";
    private static final long MAX_STEPS = 1500;
    private static final int CHECKPOINT_EVERY = 10;
    private static final long KILL_AFTER_STEP = 60;

    @TempDir
    Path dir;

    @Test
    void killedTrainerResumesFromItsLastCheckpointAndPublishesOneModel(EmbeddedKafkaBroker broker) throws Exception {
        assumeTrue(VtestPairs.available(), "opencv-doc's vtest.avi is not installed");
        Topics topics = TestTopics.created(broker.clients(), "train-kill");
        List<TrainingPair> pairs = VtestPairs.load(STREAM, 40, 96);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("it"))) {
            for (TrainingPair pair : pairs) {
                p.send(new ProducerRecord<>(topics.pairs(), STREAM, pair.toByteArray()));
            }
            p.flush();
        }
        Path work = dir.resolve("work");
        Path ckpts = work.resolve("checkpoints");
        Path store = dir.resolve("store");
        List<String> args = List.of("--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", topics.prefix(),
                "--stream", STREAM, "--preset", "tiny", "--max-steps", Long.toString(MAX_STEPS),
                "--checkpoint-every", Integer.toString(CHECKPOINT_EVERY), "--sample-every", "0",
                "--work-dir", work.toString(), "--model-store", store.toString(), "--model-name", "kill-tiny",
                "--metrics-port", "-1");
        Path log1 = dir.resolve("train-1.log");
        long seed = Long.getLong("dance.test.seed", System.nanoTime()); // printed below; pass it to replay a kill moment
        long killedAt;
        String checkpointAtKill;
        Process first = start(args, log1);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (nextStep(ckpts) < KILL_AFTER_STEP) {
                assertThat(first.isAlive()).as("first run still training (log %s)", log1).isTrue();
                assertThat(System.nanoTime()).as("no checkpoint past step %d in 180 s (log %s)", KILL_AFTER_STEP, log1)
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            // a random moment after it: checkpoints come every few hundred ms, so many kills land mid-write
            Thread.sleep(new Random(seed).nextInt(700));
            assertThat(first.isAlive()).as("first run still training when killed (log %s)", log1).isTrue();
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        TrainState state = TrainState.read(ckpts);
        killedAt = state.nextStep();
        checkpointAtKill = state.checkpoint();
        System.out.printf("trainer kill -9 at a checkpoint of step %d (%s; seed %d); files: %s%n", killedAt,
                checkpointAtKill, seed, list(ckpts));
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(killedAt).isBetween(KILL_AFTER_STEP, MAX_STEPS - 1);
        assertThat(Files.exists(store.resolve("kill-tiny"))).as("the killed run published nothing").isFalse();

        Path log2 = dir.resolve("train-2.log");
        List<String> resumed = new ArrayList<>(args);
        resumed.add("--resume");
        Process second = start(resumed, log2);
        try {
            assertThat(second.waitFor(300, TimeUnit.SECONDS)).as("resumed run finishes (log %s)", log2).isTrue();
        } finally {
            second.destroyForcibly();
        }
        String out = Files.readString(log2, StandardCharsets.UTF_8);
        assertThat(second.exitValue()).as(out).isZero();
        assertThat(out).as("resumed from the checkpoint on disk at kill time, not from step 0")
                .contains("resumed from " + checkpointAtKill + " at step " + killedAt)
                .contains("trained " + MAX_STEPS + " steps");

        // the loss history spans both runs without a restart: logged steps (0-based) strictly increase to the end
        TrainState end = TrainState.read(ckpts);
        assertThat(end.nextStep()).isEqualTo(MAX_STEPS);
        List<Long> logged = end.history().stream().map(StepLosses::step).toList();
        assertThat(logged).as("loss history steps").isSorted().doesNotHaveDuplicates()
                .contains(0L, killedAt - 1, MAX_STEPS - 1).hasSize((int) (MAX_STEPS / 10) + 1);

        // exactly one ModelVersion, for the full step count, whose checksum matches the files
        List<ConsumerRecord<String, byte[]>> models = TestRecords.readAll(broker.clients().consumer(null), topics.models(), 2,
                Duration.ofSeconds(10));
        assertThat(models).hasSize(1);
        ModelVersion mv = RecordSerdes.modelVersion().decode(topics.models(), 0, 0, models.get(0).value());
        assertThat(mv.getSteps()).isEqualTo(MAX_STEPS);
        Path location = Path.of(mv.getLocation());
        assertThat(location).startsWith(store.resolve("kill-tiny"));
        assertThat(mv.getSha256()).isEqualTo(ModelChecksum.of(location));
        try (Stream<Path> versions = Files.list(store.resolve("kill-tiny"))) {
            assertThat(versions.map(p -> p.getFileName().toString()).toList()).as("model store")
                    .containsExactly(location.getFileName().toString());
        }
    }

    private static Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), TrainerMain.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The step the checkpoint on disk resumes at, or -1 before the first one. */
    private static long nextStep(Path ckpts) {
        if (!Files.exists(ckpts.resolve(TrainState.FILE))) {
            return -1;
        }
        return TrainState.read(ckpts).nextStep(); // written atomically: a failure to read it fails the test
    }

    private static List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
