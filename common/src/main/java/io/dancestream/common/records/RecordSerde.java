package io.dancestream.common.records;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of one protobuf record type. Deserializing checks the fields the pipeline cannot
 * work without, so a payload of the wrong type (protobuf parses many byte strings) is refused
 * here with a {@link BadRecordException}, not as a NullPointerException deep in a stage.
 * A null value stays null (a tombstone).
 */
public final class RecordSerde<T extends Message> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final Parser<T> parser;
    private final Function<T, String> validator;

    /**
     * @param validator returns null when the message is usable, else the reason it is not
     */
    public RecordSerde(Class<T> type, Parser<T> parser, Function<T, String> validator) {
        this.type = type;
        this.parser = parser;
        this.validator = validator;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : data.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decode(topic, -1, -1, data);
    }

    /** Decodes one value, naming topic/partition/offset in the exception when it is bad. */
    public T decode(String topic, int partition, long offset, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new BadRecordException(topic, partition, offset, type.getSimpleName(), "empty value", null);
        }
        T msg;
        try {
            msg = parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new BadRecordException(topic, partition, offset, type.getSimpleName(),
                    "not a protobuf " + type.getSimpleName() + " (" + e.getMessage() + ")", e);
        }
        String problem = validator.apply(msg);
        if (problem != null) {
            throw new BadRecordException(topic, partition, offset, type.getSimpleName(), problem, null);
        }
        return msg;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the type is fixed at construction
    }

    @Override
    public void close() {
        // stateless
    }
}
