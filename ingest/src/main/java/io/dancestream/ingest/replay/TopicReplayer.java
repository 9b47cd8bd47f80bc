package io.dancestream.ingest.replay;

import io.dancestream.common.ingest.FirstSendGate;
import com.google.protobuf.Message;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicReader;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.common.records.Timings;
import io.dancestream.common.service.Progress;
import io.dancestream.ingest.RunBuilder;
import io.dancestream.ingest.source.Pace;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes a recorded topic (or an offset/time range of it, optionally one stream) into
 * another topic, keeping keys, headers and order, either with the original inter-frame timing
 * or as fast as possible. By default capture times are moved to now (record value and record
 * timestamp, shifted by the same amount so relative timing is exact), so live-mode stages
 * downstream treat the replay as fresh frames; {@code keepTimestamps} copies them unchanged.
 *
 * <pre>{@code
 * ReplaySummary s = TopicReplayer.builder(clients, "rec.dance.frames", "dance.frames")
 *         .streamId("cam1").pace(Pace.realtime).build().run();
 * }</pre>
 */
public final class TopicReplayer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicReplayer.class);

    private final Builder b;

    private TopicReplayer(Builder b) {
        this.b = b;
    }

    public static Builder builder(KafkaClients clients, String fromTopic, String toTopic) {
        return new Builder(clients, fromTopic, toTopic);
    }

    /** What one replay did. Timestamps are the original record times in ms (-1 when none). */
    public record ReplaySummary(long records, long undecodable, long firstOriginalMs, long lastOriginalMs,
                                long elapsedNanos) {
        public String describe(String from, String to) {
            return String.format(java.util.Locale.ROOT, "replayed %d records from %s to %s in %.1f s%s", records,
                    from, to, elapsedNanos / 1e9,
                    undecodable > 0 ? " (" + undecodable + " undecodable records copied unchanged)" : "");
        }
    }

    public ReplaySummary run() {
        if (b.fromTopic.equals(b.toTopic)) {
            throw new IllegalArgumentException("replay source and target are the same topic " + b.fromTopic
                    + ": pick another --to topic");
        }
        TopicReader.requireTopics(b.clients.common(), b.fromTopic, b.toTopic);
        RecordKind kind = b.kind != null ? b.kind : RecordKind.ofTopic(b.fromTopic);
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long undecodable = 0;
        long firstMs = -1;
        long lastMs = -1;
        long firstOrigUs = Long.MIN_VALUE;
        long wallStartUs = 0;
        FirstSendGate firstSends = new FirstSendGate();
        try (TopicReader<String, byte[]> reader = TopicReader.open(b.clients, b.fromTopic, true);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(b.clients.producer("dance-replay"))) {
            TopicReader.Snapshot<String, byte[]> range = reader.snapshot(b.fromOffset, b.toOffset, b.fromTime);
            if (range.isEmpty()) {
                LOG.warn("nothing to replay: {} has no records in the given range", b.fromTopic);
                return new ReplaySummary(0, 0, -1, -1, System.nanoTime() - start);
            }
            try (Progress progress = Progress.start("replay", range.size(), b.showsProgress())) {
                while (!range.done() && !b.stopRequested() && failure.get() == null) {
                    for (ConsumerRecord<String, byte[]> r : range.poll()) {
                        if ((b.streamId != null && !b.streamId.equals(r.key()))
                                || (b.toTime != null && r.timestamp() > b.toTime.toEpochMilli())) {
                            continue;
                        }
                        Message msg = null;
                        if (kind != null && r.value() != null) {
                            try {
                                msg = kind.decode(r.topic(), r.partition(), r.offset(), r.value());
                            } catch (BadRecordException e) {
                                // replay copies; the stage that reads the target sends it to its DLQ
                                LOG.warn("copying undecodable record unchanged: {}", e.getMessage());
                                undecodable++;
                            }
                        }
                        long origUs = msg != null ? RecordKind.captureTimeUs(msg) : r.timestamp() * 1000;
                        if (firstOrigUs == Long.MIN_VALUE) {
                            firstOrigUs = origUs;
                            wallStartUs = Timings.nowMicros();
                        }
                        long targetUs = wallStartUs + (origUs - firstOrigUs);
                        if (b.pace == Pace.realtime) {
                            sleepUntil(targetUs);
                        }
                        byte[] value = r.value();
                        long tsMs = r.timestamp();
                        if (!b.keepTimestamps) {
                            tsMs = Math.floorDiv(targetUs, 1000);
                            if (msg != null) {
                                value = RecordKind.withCaptureTimeUs(msg, targetUs).toByteArray();
                            }
                        }
                        if (firstMs < 0) {
                            firstMs = r.timestamp();
                        }
                        lastMs = r.timestamp();
                        var sent = producer.send(new ProducerRecord<>(b.toTopic, null, tsMs, r.key(), value,
                                        r.headers()),
                                (md, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    } else {
                                        acked.incrementAndGet();
                                    }
                                });
                        firstSends.await(b.toTopic, r.key(), sent);
                        progress.step();
                    }
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("could not write to " + b.toTopic + ": " + failure.get().getMessage(),
                    failure.get());
        }
        ReplaySummary s = new ReplaySummary(acked.get(), undecodable, firstMs, lastMs, System.nanoTime() - start);
        LOG.info(s.describe(b.fromTopic, b.toTopic));
        return s;
    }

    private void sleepUntil(long wallUs) {
        long wait;
        while ((wait = wallUs - Timings.nowMicros()) > 0 && !b.stopRequested()) {
            LockSupport.parkNanos(Math.min(wait, 100_000) * 1000L);
        }
    }

    /** Settings of one replay. */
    public static final class Builder extends RunBuilder<Builder> {
        private final KafkaClients clients;
        private final String fromTopic;
        private final String toTopic;
        private String streamId;
        private Pace pace = Pace.realtime;
        private Long fromOffset;
        private Long toOffset;
        private Instant fromTime;
        private Instant toTime;
        private boolean keepTimestamps;
        private RecordKind kind;

        private Builder(KafkaClients clients, String fromTopic, String toTopic) {
            this.clients = Objects.requireNonNull(clients);
            this.fromTopic = Objects.requireNonNull(fromTopic);
            this.toTopic = Objects.requireNonNull(toTopic);
        }

        /** Only this stream's records (key); null = all. */
        public Builder streamId(String streamId) {
            this.streamId = streamId;
            return this;
        }

        /** realtime = original inter-record timing; max = as fast as possible. */
        public Builder pace(Pace pace) {
            this.pace = Objects.requireNonNull(pace);
            return this;
        }

        /** Offset range per partition, inclusive; null = open. */
        public Builder offsets(Long from, Long to) {
            this.fromOffset = from;
            this.toOffset = to;
            return this;
        }

        /** Record-timestamp range, inclusive; null = open. */
        public Builder times(Instant from, Instant to) {
            this.fromTime = from;
            this.toTime = to;
            return this;
        }

        /** Copy capture times unchanged instead of moving them to now. */
        public Builder keepTimestamps(boolean keep) {
            this.keepTimestamps = keep;
            return this;
        }

        /** The record type, when the topic name does not end in frames/masks.raw/segments/pairs/rendered. */
        public Builder kind(String kind) {
            this.kind = kind == null ? null : RecordKind.parse(kind);
            return this;
        }



        public TopicReplayer build() {
            return new TopicReplayer(this);
        }
    }
}
