package io.dancestream.common.kafka;

import io.dancestream.common.metrics.DanceMetrics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams exception handlers that put a failed record on {@code dance.dlq} as a {@link DeadLetter}
 * and keep the app running; the stage is the processor node, or {@code deserialize}. The DLQ record
 * is written by Streams itself (KIP-1034), inside the same transaction under exactly_once_v2.
 * Config: {@link #DLQ_TOPIC} (topic name) and {@link #METRICS} (a {@link DanceMetrics} object, for
 * the {@code failed} counters).
 */
public final class DeadLetterHandlers {

    public static final String DLQ_TOPIC = "dance.dlq.topic";
    public static final String METRICS = "dance.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {
    }

    /** What both handlers are handed: the DLQ topic and, optionally, the metrics to count failures in. */
    private abstract static class Configured {
        private Map<String, ?> configs = Map.of();
        private String dlq;

        public void configure(Map<String, ?> configs) {
            Object t = configs.get(DLQ_TOPIC);
            if (t == null) {
                throw new IllegalArgumentException(DLQ_TOPIC + " is not configured");
            }
            this.configs = configs;
            this.dlq = t.toString();
        }

        final List<ProducerRecord<byte[], byte[]>> send(DeadLetter<byte[], byte[]> letter) {
            if (configs.get(METRICS) instanceof DanceMetrics m) {
                m.stage(letter.stage()).failed();
            }
            LOG.warn("to {}: {}", dlq, letter);
            return List.of(letter.toProducerRecord(dlq));
        }
    }

    /** A value that does not deserialize (not a protobuf of the topic's type, missing fields). */
    public static final class Deserialization extends Configured implements DeserializationExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
            return Response.resume(send(DeadLetter.of("deserialize", e, record.topic(), record.partition(),
                    record.offset(), record.key(), record.value())));
        }
    }

    /** A record a processor could not process (corrupt JPEG, mask of another frame size). */
    public static final class Processing extends Configured implements ProcessingExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext ctx, org.apache.kafka.streams.processor.api.Record<?, ?> record,
                                    Exception e) {
            return Response.resume(send(DeadLetter.of(ctx.processorNodeId(), e, ctx.topic(), ctx.partition(),
                    ctx.offset(), ctx.sourceRawKey(), ctx.sourceRawValue())));
        }
    }
}
