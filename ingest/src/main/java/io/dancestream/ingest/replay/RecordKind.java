package io.dancestream.ingest.replay;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.dancestream.common.records.RecordSerde;
import io.dancestream.common.records.RecordSerdes;
import java.util.Locale;

/**
 * The per-frame record types replay and export understand, recognised by the topic's base
 * name. Each carries {@code capture_time_us}, which replay rewrites through protobuf
 * reflection, so one code path serves every type.
 */
public enum RecordKind {
    FRAMES("frames", RecordSerdes.frame()),
    MASKS_RAW("masks.raw", RecordSerdes.rawMask()),
    SEGMENTS("segments", RecordSerdes.segmentation()),
    PAIRS("pairs", RecordSerdes.trainingPair()),
    RENDERED("rendered", RecordSerdes.rendered());

    private final String base;
    private final RecordSerde<? extends Message> serde;

    RecordKind(String base, RecordSerde<? extends Message> serde) {
        this.base = base;
        this.serde = serde;
    }

    /** The kind of a topic such as {@code dance.frames} or {@code rec1.dance.rendered}; null if unknown. */
    public static RecordKind ofTopic(String topic) {
        for (RecordKind k : values()) {
            if (topic.equals(k.base) || topic.endsWith("." + k.base)) {
                return k;
            }
        }
        return null;
    }

    /** From a CLI value: frames, masks.raw (or masks), segments, pairs, rendered. */
    public static RecordKind parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (RecordKind k : values()) {
            if (k.base.equals(n) || k.name().equalsIgnoreCase(n) || (k == MASKS_RAW && n.equals("masks"))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown record type " + name
                + ": use frames, masks.raw, segments, pairs or rendered");
    }

    /** Decodes and validates; a bad value throws {@link io.dancestream.common.records.BadRecordException}. */
    public Message decode(String topic, int partition, long offset, byte[] value) {
        return serde.decode(topic, partition, offset, value);
    }

    public static long captureTimeUs(Message m) {
        return (Long) m.getField(captureField(m));
    }

    static Message withCaptureTimeUs(Message m, long captureUs) {
        return m.toBuilder().setField(captureField(m), captureUs).build();
    }

    private static FieldDescriptor captureField(Message m) {
        return m.getDescriptorForType().findFieldByName("capture_time_us");
    }
}
