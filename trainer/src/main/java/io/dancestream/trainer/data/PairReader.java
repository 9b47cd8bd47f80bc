package io.dancestream.trainer.data;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.common.records.RecordSerde;
import io.dancestream.common.records.RecordSerdes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code dance.pairs} from the start (or a capture-time range) to the end offsets seen
 * when reading began, keeping the chosen streams and, of those, one track: a first pass counts
 * the pairs of each track ({@link TrackCensus}) and picks the requested or the longest one, a
 * second decodes only that track's pairs (decoding is the expensive part). Pairs that cannot be
 * decoded go to the DLQ with the reason. The result is cached by (streams, range, requested
 * track, end offsets, sizes, k), so a re-run over an unchanged topic does not touch Kafka's data.
 */
public final class PairReader {

    private static final Logger LOG = LoggerFactory.getLogger(PairReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaClients clients;
    private final Topics topics;
    private final Set<String> streams;
    private final Long fromTimeMs;
    private final Long toTimeMs;
    private final String track;

    /**
     * @param track the track id to train on; null = the longest track of the chosen streams
     */
    public PairReader(KafkaClients clients, Topics topics, Set<String> streams, Long fromTimeMs, Long toTimeMs, String track) {
        this.clients = clients;
        this.topics = topics;
        this.streams = streams;
        this.fromTimeMs = fromTimeMs;
        this.toTimeMs = toTimeMs;
        this.track = track;
    }

    /** Loads the dataset from the cache dir when the topic is unchanged, else from Kafka (then caches it). */
    public PairDataset load(int size, int trainSize, int holdoutEvery, int classes, java.nio.file.Path cacheDir) {
        java.util.Properties props = clients.consumer(null);
        // dance.pairs is written exactly once: a pair of an aborted transaction must not be trained on
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.pairs(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> end = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            end.putAll(consumer.endOffsets(parts));
            String key = cacheKey(end, size, trainSize, holdoutEvery);
            java.nio.file.Path cached = cacheDir == null ? null : cacheDir.resolve("pairs-" + key + ".bin");
            if (cached != null && java.nio.file.Files.exists(cached)) {
                PairDataset ds = PairDataset.read(cached);
                LOG.info("dataset from cache {}: {}", cached, ds.track().describe());
                return ds;
            }
            TrackCensus census = new TrackCensus();
            scan(consumer, parts, end, census::add, null);
            TrainingTrack chosen = census.choose(track, where());
            LOG.info("{} in {}; training on {}", census.summary(), where(), chosen.describe());
            BackgroundPlate plate = new BackgroundPlate();
            TargetFraming framing = new TargetFraming();
            List<PairDataset.Decoded> decoded = read(consumer, parts, end, size, trainSize, classes, chosen, plate, framing);
            if (decoded.isEmpty()) {
                throw new IllegalStateException("no usable training pairs in " + where()
                        + "; record some with 'dance ingest SOURCE --train' first");
            }
            PairDataset split = PairDataset.split(decoded, size, holdoutEvery, chosen.withPairs(decoded.size()));
            java.util.Set<String> heldout = new java.util.HashSet<>();
            split.heldout().forEach(h -> heldout.add(h.streamId() + "/" + h.seq()));
            java.util.Set<String> training = new java.util.HashSet<>();
            split.train().forEach(t -> training.add(t.streamId() + "/" + t.seq()));
            PairDataset ds = split.withPlate(platePng(plate, heldout)).withFraming(framing(framing, training, heldout));
            if (cached != null) {
                ds.write(cached);
            }
            return ds;
        }
    }

    private String where() {
        return topics.pairs() + (streams.isEmpty() ? "" : " for stream(s) " + String.join(", ", streams));
    }

    private List<PairDataset.Decoded> read(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts,
                                           Map<TopicPartition, Long> end, int size, int trainSize, int classes,
                                           TrainingTrack chosen, BackgroundPlate plate, TargetFraming framing) {
        PairDecoder decoder = new PairDecoder(classes, plate, framing);
        int[] noPerson = {0};
        List<PairDataset.Decoded> out = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("trainer-dlq"))) {
            DeadLetters dlq = new DeadLetters(producer, topics.dlq());
            scan(consumer, parts, end, pair -> {
                // every frame of the track's stream feeds the plate (other people's frames and empty
                // ones show more of the scene); only the chosen track's frames become samples
                if (!pair.getStreamId().equals(chosen.streamId())) {
                    return;
                }
                PairDataset.Decoded d = decoder.decode(pair, trainSize, size);
                if (!chosen.includes(pair)) {
                    return;
                }
                if (d == null) {
                    noPerson[0]++;
                } else {
                    out.add(d);
                }
            }, dlq);
            producer.flush();
            LOG.info("read {} pairs of {} from {} ({} without a person, {} to the DLQ)", out.size(), chosen.describe(),
                    topics.pairs(), noPerson[0], dlq.count());
        }
        return out;
    }

    /**
     * Hands each pair of the chosen streams and time range to {@code visit}, from the first
     * offset in range to {@code end}. A record that is not a pair, or that {@code visit} refuses
     * with an IllegalArgumentException, goes to {@code dlq} (skipped when it is null, as in the
     * census pass, so a bad record reaches the DLQ once).
     */
    private void scan(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts, Map<TopicPartition, Long> end,
                      Consumer<TrainingPair> visit, DeadLetters dlq) {
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        if (fromTimeMs != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(p -> query.put(p, fromTimeMs));
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : consumer.offsetsForTimes(query).entrySet()) {
                consumer.seek(e.getKey(), e.getValue() == null ? end.get(e.getKey()) : e.getValue().offset());
            }
        }
        RecordSerde<TrainingPair> serde = RecordSerdes.trainingPair();
        while (!done(consumer, end)) {
            for (ConsumerRecord<String, byte[]> rec : consumer.poll(POLL)) {
                if (rec.offset() >= end.get(new TopicPartition(rec.topic(), rec.partition()))) {
                    continue;
                }
                if (toTimeMs != null && rec.timestamp() >= toTimeMs) {
                    continue;
                }
                if (!streams.isEmpty() && (rec.key() == null || !streams.contains(rec.key()))) {
                    continue;
                }
                try {
                    TrainingPair pair = serde.decode(rec.topic(), rec.partition(), rec.offset(), rec.value());
                    if (!streams.isEmpty() && !streams.contains(pair.getStreamId())) {
                        continue;
                    }
                    visit.accept(pair);
                } catch (BadRecordException | IllegalArgumentException e) {
                    if (dlq != null) {
                        dlq.send(rec, e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * The plate of the training frames: held-out ones left out, the evaluation must not see its
     * own scene; all kept frames when only held-out ones were kept (a tiny corpus), since a
     * person-crop model needs a plate to serve.
     */
    private static byte[] platePng(BackgroundPlate plate, java.util.Set<String> heldout) {
        org.bytedeco.opencv.opencv_core.Mat training = plate.build(k -> !heldout.contains(k));
        try (org.bytedeco.opencv.opencv_core.Mat m = training != null ? training : plate.build()) {
            return m == null ? null : io.dancestream.common.image.ImageCodec.encodePng(m);
        }
    }

    /**
     * The target's framing over the chosen track's training frames (every frame of the stream is
     * offered, other people's too; held-out ones are left out like the plate's), or over all of the
     * track's frames when only held-out ones were kept.
     */
    private static io.dancestream.common.image.FramingStats framing(TargetFraming framing, java.util.Set<String> training,
                                                                    java.util.Set<String> heldout) {
        io.dancestream.common.image.FramingStats stats = framing.build(training::contains);
        return stats.isEmpty() ? framing.build(k -> training.contains(k) || heldout.contains(k)) : stats;
    }

    private static boolean done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private String cacheKey(Map<TopicPartition, Long> end, int size, int trainSize, int holdoutEvery) {
        StringBuilder sb = new StringBuilder(topics.pairs()).append('|').append(new java.util.TreeSet<>(streams))
                .append('|').append(fromTimeMs).append('|').append(toTimeMs)
                .append('|').append(track == null ? "longest track" : "track " + track).append('|').append(size).append('|')
                .append(trainSize).append('|').append(holdoutEvery).append("|person-crop-last-holdout|framing|crop-boxes");
        end.forEach((tp, off) -> sb.append('|').append(tp.partition()).append('=').append(off));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
