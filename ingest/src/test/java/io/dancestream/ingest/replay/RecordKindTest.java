package io.dancestream.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which record type a topic or a --type name means. */
class RecordKindTest {

    @Test
    void recordKindsFollowTopicNames() {
        assertThat(RecordKind.ofTopic("dance.frames")).isEqualTo(RecordKind.FRAMES);
        assertThat(RecordKind.ofTopic("rec1.dance.masks.raw")).isEqualTo(RecordKind.MASKS_RAW);
        assertThat(RecordKind.ofTopic("dance.rendered")).isEqualTo(RecordKind.RENDERED);
        assertThat(RecordKind.ofTopic("myframes")).isNull();
        assertThat(RecordKind.parse("masks")).isEqualTo(RecordKind.MASKS_RAW);
        assertThat(RecordKind.parse("Rendered")).isEqualTo(RecordKind.RENDERED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecordKind.parse("video"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown record type video");
    }
}
