package io.dancestream.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The video writer's frame rate from capture times and its container choice. */
class Mp4WriterTest {

    @Test
    void frameRateIsTheMedianSpacing() {
        assertThat(Mp4Writer.frameRate(new long[] {0, 100_000, 200_000, 400_000, 500_000})).isEqualTo(10.0);
        assertThat(Mp4Writer.frameRate(new long[] {0, 33_333, 66_667, 100_000})).isEqualTo(30.0);
        assertThat(Mp4Writer.frameRate(new long[] {7})).isEqualTo(Mp4Writer.FALLBACK_FPS);
        assertThat(Mp4Writer.container(java.nio.file.Path.of("a/b.webm"))).isEqualTo("webm");
        assertThat(Mp4Writer.container(java.nio.file.Path.of("b.MP4"))).isEqualTo("mp4");
    }
}
