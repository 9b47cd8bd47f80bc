package io.dancestream.ingest.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Export's frame rate and container choice. */
class Mp4ExporterTest {

    @Test
    void exportFrameRateIsTheMedianSpacing() {
        assertThat(Mp4Exporter.measuredFps(new long[] {0, 100_000, 200_000, 400_000, 500_000})).isEqualTo(10.0);
        assertThat(Mp4Exporter.measuredFps(new long[] {0, 33_333, 66_667, 100_000})).isEqualTo(30.0);
        assertThat(Mp4Exporter.measuredFps(new long[] {7})).isEqualTo(Mp4Exporter.FALLBACK_FPS);
        assertThat(Mp4Exporter.container(java.nio.file.Path.of("a/b.webm"))).isEqualTo("webm");
        assertThat(Mp4Exporter.container(java.nio.file.Path.of("b.MP4"))).isEqualTo("mp4");
    }
}
