package io.dancestream.common.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.ModelVersion;
import org.junit.jupiter.api.Test;

class RecordSerdeTest {

    private final RecordSerde<Frame> frames = RecordSerdes.frame();

    private static Frame frame() {
        return Frame.newBuilder().setStreamId("s").setSeq(1).setWidth(2).setHeight(2)
                .setJpeg(ByteString.copyFrom(new byte[] {1})).build();
    }

    @Test
    void roundTrips() {
        assertThat(frames.deserialize("t", frames.serialize("t", frame()))).isEqualTo(frame());
    }

    @Test
    void nullStaysNullForTombstones() {
        assertThat(frames.deserialize("t", null)).isNull();
        assertThat(frames.serialize("t", null)).isNull();
    }

    @Test
    void garbageNamesTopicPartitionAndOffset() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThatThrownBy(() -> frames.decode("dance.frames", 3, 42L, garbage))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("topic dance.frames partition 3 offset 42")
                .hasMessageContaining("not a protobuf Frame");
    }

    @Test
    void emptyValueIsABadRecordNotANullPointer() {
        assertThatThrownBy(() -> frames.decode("dance.frames", 0, 5L, new byte[0]))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("empty value");
    }

    @Test
    void aMessageOfAnotherTypeIsRefusedByItsMissingFields() {
        byte[] model = ModelVersion.newBuilder().setName("g").setVersion("1").build().toByteArray();
        BadRecordException e = org.junit.jupiter.api.Assertions.assertThrows(BadRecordException.class,
                () -> frames.decode("dance.frames", 1, 9L, model));
        assertThat(e.getMessage()).contains("missing");
        assertThat(e.partition()).isEqualTo(1);
        assertThat(e.offset()).isEqualTo(9L);
        assertThat(e.at(2, 10L).getMessage()).contains("partition 2 offset 10").contains("missing");
    }
}
