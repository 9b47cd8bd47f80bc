package io.dancestream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a source argument is recognised: camera, network stream, file, image folder. */
class SourceSpecTest {

    @Test
    void sourcesAreRecognised() {
        assertThat(SourceSpec.parse("v4l2:/dev/video0")).isEqualTo(new SourceSpec(SourceSpec.Kind.CAMERA, "/dev/video0", true));
        assertThat(SourceSpec.parse("rtsp://cam.local/stream").live()).isTrue();
        assertThat(SourceSpec.parse("udp://239.0.0.1:1234").live()).isTrue();
        assertThat(SourceSpec.parse("http://example.com/a.mp4")).isEqualTo(
                new SourceSpec(SourceSpec.Kind.NETWORK, "http://example.com/a.mp4", false));
        assertThat(SourceSpec.parse("/tmp").kind()).isEqualTo(SourceSpec.Kind.IMAGE_FOLDER);
        assertThat(SourceSpec.parse("file:/data/a.avi")).isEqualTo(new SourceSpec(SourceSpec.Kind.FILE, "/data/a.avi", false));
        assertThat(SourceSpec.parse("v4l2:/dev/video0").description()).isEqualTo("v4l2:/dev/video0");
    }
}
