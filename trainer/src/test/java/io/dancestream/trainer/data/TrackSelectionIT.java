package io.dancestream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.trainer.VtestPairs;
import io.dancestream.trainer.model.Preset;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer reads one track from a real topic: the longest by default, the one asked for with
 * {@code --track}, a clear error for one that is not there, and all of a stream's pairs as one
 * unknown track when they predate track ids. Frames of {@code vtest.avi} ({@link VtestPairs}),
 * their track ids set as segment-stream would: seqs 0..19 one track, 20..24 nobody, 25..54 a
 * second track, 55..59 a third.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrackSelectionIT {

    private static final int SIZE = Preset.TINY.config().size();

    private static String trackOf(int seq) {
        if (seq < 20) {
            return "cam#0";
        }
        if (seq < 25) {
            return "";
        }
        return seq < 55 ? "cam#25" : "cam#55";
    }

    @Test
    void readsOnlyTheChosenTrack(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        assumeTrue(VtestPairs.available(), "opencv-doc's vtest.avi is not installed");
        Topics topics = TestTopics.created(broker.clients(), "tracks");
        List<TrainingPair> frames = VtestPairs.load("cam", 60, 96);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("it"))) {
            for (TrainingPair f : frames) {
                int seq = (int) f.getSeq();
                p.send(new ProducerRecord<>(topics.pairs(), "cam", f.toBuilder().setTrackId(trackOf(seq)).build().toByteArray()));
                // a longer track of another stream: not chosen when only "cam" is asked for
                p.send(new ProducerRecord<>(topics.pairs(), "other", f.toBuilder().setStreamId("other")
                        .setTrackId("other#0").build().toByteArray()));
                // a stream recorded before track ids existed
                p.send(new ProducerRecord<>(topics.pairs(), "old", f.toBuilder().setStreamId("old").build().toByteArray()));
            }
        }
        Path cache = dir.resolve("cache"); // one cache for every read: a cached track must not answer for another

        // a pair becomes a sample only where its part map shows a person (the crop needs one)
        Set<Long> withPerson = withPerson(frames);
        PairDataset longest = read(broker, topics, Set.of("cam"), null, cache);
        assertThat(longest.track()).isEqualTo(new TrainingTrack("cam", "cam#25", usable(withPerson, 25, 55).size()));
        assertThat(seqs(longest)).containsExactlyInAnyOrderElementsOf(usable(withPerson, 25, 55));
        assertThat(streams(longest)).containsOnly("cam");

        PairDataset first = read(broker, topics, Set.of("cam"), "cam#0", cache);
        assertThat(first.track()).isEqualTo(new TrainingTrack("cam", "cam#0", usable(withPerson, 0, 20).size()));
        assertThat(seqs(first)).containsExactlyInAnyOrderElementsOf(usable(withPerson, 0, 20));

        // cached: the same answer again without reading Kafka
        assertThat(seqs(read(broker, topics, Set.of("cam"), "cam#0", cache)))
                .containsExactlyInAnyOrderElementsOf(usable(withPerson, 0, 20));

        // all streams: the longest track of them all
        PairDataset all = read(broker, topics, Set.of(), null, cache);
        assertThat(all.track()).isEqualTo(new TrainingTrack("other", "other#0", usable(withPerson, 0, 60).size()));
        assertThat(streams(all)).containsOnly("other");

        assertThatThrownBy(() -> read(broker, topics, Set.of("cam"), "cam#7", cache))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no track 'cam#7'").hasMessageContaining("cam#25 (30 pairs), cam#0 (20 pairs)");

        PairDataset old = read(broker, topics, Set.of("old"), null, cache);
        assertThat(old.track().known()).isFalse();
        assertThat(old.track().pairs()).isEqualTo(usable(withPerson, 0, 60).size());
        assertThat(seqs(old)).containsExactlyInAnyOrderElementsOf(usable(withPerson, 0, 60));
    }

    private static PairDataset read(EmbeddedKafkaBroker broker, Topics topics, Set<String> streams, String track,
                                    Path cache) {
        return new PairReader(broker.clients(), topics, streams, null, null, track)
                .load(SIZE, SIZE, 10, Preset.TINY.config().classes(), cache);
    }

    private static List<Long> seqs(PairDataset ds) {
        return Stream.concat(ds.train().stream(), ds.heldout().stream()).map(Sample::seq).toList();
    }

    private static Set<String> streams(PairDataset ds) {
        return Stream.concat(ds.train().stream(), ds.heldout().stream()).map(Sample::streamId)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Seqs in [from, to) whose part map shows a person. */
    private static List<Long> usable(Set<Long> withPerson, long from, long to) {
        List<Long> out = java.util.stream.LongStream.range(from, to).boxed().filter(withPerson::contains).toList();
        assertThat(out).as("frames with a person in [%d, %d)", from, to).isNotEmpty();
        return out;
    }

    private static Set<Long> withPerson(List<TrainingPair> frames) {
        Set<Long> out = new java.util.HashSet<>();
        for (TrainingPair f : frames) {
            try (org.bytedeco.opencv.opencv_core.Mat map =
                         io.dancestream.common.image.ImageCodec.decodeUnchanged(f.getClassMap().toByteArray())) {
                if (io.dancestream.common.image.PersonCrop.around(map).isPresent()) {
                    out.add(f.getSeq());
                }
            }
        }
        return out;
    }
}
