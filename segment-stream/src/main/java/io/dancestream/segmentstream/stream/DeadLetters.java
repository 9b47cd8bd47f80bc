package io.dancestream.segmentstream.stream;

import io.dancestream.common.kafka.DeadLetterHeaders;
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
 * Streams exception handlers that put a failed record on {@code dance.dlq} and keep the app
 * running: the original value bytes, and headers naming the stage (the processor node, or
 * {@code deserialize}), the error class and message, and the source topic/partition/offset.
 * The DLQ record is written by Streams itself (KIP-1034), inside the same transaction under
 * exactly_once_v2. Config: {@link #DLQ_TOPIC} (topic name) and {@link #METRICS} (a
 * {@link DanceMetrics} object, for the {@code failed} counters).
 */
public final class DeadLetters {

    public static final String DLQ_TOPIC = "dance.dlq.topic";
    public static final String METRICS = "dance.metrics";

    public static final String STAGE = DeadLetterHeaders.STAGE;
    public static final String ERROR_CLASS = DeadLetterHeaders.ERROR_CLASS;
    public static final String ERROR_MESSAGE = DeadLetterHeaders.ERROR_MESSAGE;
    public static final String SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
    public static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    static ProducerRecord<byte[], byte[]> record(String dlqTopic, String stage, Exception error, String topic,
                                                 int partition, long offset, byte[] key, byte[] value) {
        var h = DeadLetterHeaders.of(stage, error, topic, partition, offset);
        LOG.warn("to {}: {} at {} {}-{}@{}: {}", dlqTopic, error.getClass().getSimpleName(), stage, topic, partition,
                offset, error.getMessage());
        return new ProducerRecord<>(dlqTopic, null, key, value, h);
    }

    private static String topic(Map<String, ?> configs) {
        Object t = configs.get(DLQ_TOPIC);
        if (t == null) {
            throw new IllegalArgumentException(DLQ_TOPIC + " is not configured");
        }
        return t.toString();
    }

    private static void countFailed(Map<String, ?> configs, String stage) {
        if (configs.get(METRICS) instanceof DanceMetrics m) {
            m.stage(stage).failed();
        }
    }

    /** A value that does not deserialize (not a protobuf of the topic's type, missing fields). */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private Map<String, ?> configs = Map.of();
        private String dlq;

        @Override
        public void configure(Map<String, ?> configs) {
            this.configs = configs;
            this.dlq = topic(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
            countFailed(configs, "deserialize");
            return Response.resume(List.of(record(dlq, "deserialize", e, record.topic(), record.partition(),
                    record.offset(), record.key(), record.value())));
        }
    }

    /** A record a processor could not process (corrupt JPEG, mask of another frame size). */
    public static final class Processing implements ProcessingExceptionHandler {
        private Map<String, ?> configs = Map.of();
        private String dlq;

        @Override
        public void configure(Map<String, ?> configs) {
            this.configs = configs;
            this.dlq = topic(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, org.apache.kafka.streams.processor.api.Record<?, ?> record,
                                    Exception e) {
            countFailed(configs, ctx.processorNodeId());
            return Response.resume(List.of(record(dlq, ctx.processorNodeId(), e, ctx.topic(), ctx.partition(),
                    ctx.offset(), ctx.sourceRawKey(), ctx.sourceRawValue())));
        }
    }
}
