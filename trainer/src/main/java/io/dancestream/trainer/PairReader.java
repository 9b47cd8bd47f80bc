package io.dancestream.trainer;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code dance.pairs} once, from the start (or a capture-time range) to the end offsets
 * seen when reading began, keeping the chosen streams; pairs that cannot be decoded go to the
 * DLQ with the reason. The result is cached by (streams, range, end offsets, sizes, k), so a
 * re-run over an unchanged topic does not touch Kafka's data.
 */
final class PairReader {

    private static final Logger LOG = LoggerFactory.getLogger(PairReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaClients clients;
    private final Topics topics;
    private final Set<String> streams;
    private final Long fromTimeMs;
    private final Long toTimeMs;

    PairReader(KafkaClients clients, Topics topics, Set<String> streams, Long fromTimeMs, Long toTimeMs) {
        this.clients = clients;
        this.topics = topics;
        this.streams = streams;
        this.fromTimeMs = fromTimeMs;
        this.toTimeMs = toTimeMs;
    }

    /** Loads the dataset from the cache dir when the topic is unchanged, else from Kafka (then caches it). */
    PairDataset load(int size, int trainSize, int holdoutEvery, int classes, java.nio.file.Path cacheDir) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer(null))) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.pairs(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> end = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            end.putAll(consumer.endOffsets(parts));
            String key = cacheKey(end, size, trainSize, holdoutEvery);
            java.nio.file.Path cached = cacheDir == null ? null : cacheDir.resolve("pairs-" + key + ".bin");
            if (cached != null && java.nio.file.Files.exists(cached)) {
                LOG.info("dataset from cache {}", cached);
                return PairDataset.read(cached);
            }
            BackgroundPlate plate = new BackgroundPlate();
            TargetFraming framing = new TargetFraming();
            List<PairDataset.Decoded> decoded = read(consumer, parts, end, size, trainSize, classes, plate, framing);
            if (decoded.isEmpty()) {
                throw new IllegalStateException("no usable training pairs in " + topics.pairs()
                        + (streams.isEmpty() ? "" : " for stream(s) " + String.join(", ", streams))
                        + "; record some with 'dance ingest SOURCE --train' first");
            }
            PairDataset split = PairDataset.split(decoded, size, holdoutEvery);
            java.util.Set<String> heldout = new java.util.HashSet<>();
            split.heldout().forEach(h -> heldout.add(h.streamId() + "/" + h.seq()));
            PairDataset ds = split.withPlate(platePng(plate, heldout)).withFraming(framing(framing, heldout));
            if (cached != null) {
                ds.write(cached);
            }
            return ds;
        }
    }

    private List<PairDataset.Decoded> read(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts,
                                           Map<TopicPartition, Long> end, int size, int trainSize, int classes,
                                           BackgroundPlate plate, TargetFraming framing) {
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
        PairDecoder decoder = new PairDecoder(classes, plate, framing);
        int noPerson = 0;
        List<PairDataset.Decoded> out = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("trainer-dlq"))) {
            DeadLetters dlq = new DeadLetters(producer, topics.dlq());
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
                        PairDataset.Decoded d = decoder.decode(pair, trainSize, size);
                        if (d == null) {
                            noPerson++; // a frame without a person: nothing to learn, but it fed the plate
                        } else {
                            out.add(d);
                        }
                    } catch (BadRecordException | IllegalArgumentException e) {
                        dlq.send(rec, e.getMessage());
                    }
                }
            }
            producer.flush();
            LOG.info("read {} pairs from {} ({} without a person, {} to the DLQ)", out.size(), topics.pairs(), noPerson,
                    dlq.count());
        }
        return out;
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

    /** The target's framing over the training frames, like the plate (all frames when only held-out ones were kept). */
    private static io.dancestream.common.image.FramingStats framing(TargetFraming framing,
                                                                    java.util.Set<String> heldout) {
        io.dancestream.common.image.FramingStats training = framing.build(k -> !heldout.contains(k));
        return training.isEmpty() ? framing.build(k -> true) : training;
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
                .append('|').append(fromTimeMs).append('|').append(toTimeMs).append('|').append(size).append('|')
                .append(trainSize).append('|').append(holdoutEvery).append("|person-crop-last-holdout|framing");
        end.forEach((tp, off) -> sb.append('|').append(tp.partition()).append('=').append(off));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
