package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The output size for --width/--height keeps the aspect ratio. */
class FrameEncoderTest {

    @Test
    void resizeKeepsTheAspectRatio() {
        assertThat(FrameEncoder.fit(768, 576, 0, 0)).containsExactly(768, 576);
        assertThat(FrameEncoder.fit(768, 576, 320, 0)).containsExactly(320, 240);
        assertThat(FrameEncoder.fit(768, 576, 0, 240)).containsExactly(320, 240);
        // both given: fit inside the box
        assertThat(FrameEncoder.fit(1920, 1080, 640, 640)).containsExactly(640, 360);
        assertThat(FrameEncoder.fit(1080, 1920, 640, 640)).containsExactly(360, 640);
        assertThat(FrameEncoder.fit(640, 480, 1280, 0)).containsExactly(1280, 960);
    }
}
