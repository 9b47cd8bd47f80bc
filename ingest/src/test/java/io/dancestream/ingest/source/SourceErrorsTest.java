package io.dancestream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.dancestream.common.config.CommandRunner;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.IngestMain;
import io.dancestream.ingest.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every source error the issue names gets one sentence that says what to do. These run real
 * FFmpeg on real (broken) inputs; no broker is needed since the source opens first.
 */
class SourceErrorsTest {

    private static final KafkaClients NO_BROKER = KafkaClients.load("127.0.0.1:1", null);
    private static final Topics TOPICS = Topics.withDefaultPrefix();

    private static FrameIngestor ingest(String source) {
        return FrameIngestor.builder(NO_BROKER, TOPICS).source(source).build();
    }

    @Test
    void skipOnALiveSourceFailsBeforeTheSourceIsOpened() {
        assertThatThrownBy(() -> FrameIngestor.builder(NO_BROKER, TOPICS).source("rtsp://cam.invalid/stream").skip(5)
                .build())
                .isInstanceOf(SourceException.class)
                .hasMessage("--skip applies to recorded sources, not to live rtsp://cam.invalid/stream");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> ingest("/no/such/dance.mp4").run())
                .isInstanceOf(SourceException.class)
                .hasMessage("video file /no/such/dance.mp4 does not exist: check the path");
    }

    @Test
    void unreadableCodec(@TempDir Path tmp) throws Exception {
        byte[] noise = new byte[50_000];
        new Random(3).nextBytes(noise);
        Path bad = Files.write(tmp.resolve("noise.mp4"), noise);
        assertThatThrownBy(() -> ingest(bad.toString()).run())
                .isInstanceOf(SourceException.class)
                .hasMessage("FFmpeg cannot decode " + bad + ": its container or codec is unknown or the file is "
                        + "damaged; re-encode it to H.264 or MPEG-4 in MP4");
    }

    @Test
    void fileWithoutVideo(@TempDir Path tmp) throws Exception {
        Path wav = TestMedia.audioOnly(tmp);
        assertThatThrownBy(() -> ingest(wav.toString()).run())
                .isInstanceOf(SourceException.class)
                .hasMessage(wav + " has no video stream: pass a file or URL that contains video");
    }

    @Test
    void missingCamera() {
        assertThatThrownBy(() -> ingest("v4l2:/dev/video-dance-missing").run())
                .isInstanceOf(SourceException.class)
                .hasMessage("no camera at /dev/video-dance-missing: connect one or pick another with "
                        + "v4l2:/dev/videoN (ls /dev/video* lists them)");
    }

    @Test
    void cameraWithoutPermission(@TempDir Path tmp) throws Exception {
        assumeThat(System.getProperty("user.name")).as("root can open any file").isNotEqualTo("root");
        Path device = Files.createFile(tmp.resolve("video0"));
        Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> ingest("v4l2:" + device).run())
                .isInstanceOf(SourceException.class)
                .hasMessage("no permission to open camera " + device + ": add your user to the 'video' group "
                        + "(sudo usermod -aG video $USER) and log in again");
    }

    @Test
    void cameraPermissionDeniedByFfmpegGetsTheSameSentence() {
        // what FFmpeg says when the device node exists but open(2) fails with EACCES
        String ffmpeg = "avformat_open_input() error -13: Could not open input \"/dev/video0\". (Has setFormat() "
                + "been called?) (For more details, make sure FFmpegLogCallback.set() has been called.)";
        assertThat(SourceErrors.sentence(SourceSpec.parse("v4l2:/dev/video0"), ffmpeg))
                .isEqualTo("no permission to open camera /dev/video0: add your user to the 'video' group "
                        + "(sudo usermod -aG video $USER) and log in again");
    }

    @Test
    void deviceLibraryThatCannotLoad(@TempDir Path tmp) throws Exception {
        // FFmpeg's answer when libavdevice did not load is that the input format does not exist;
        // asking this real FFmpeg for a format it lacks produces exactly that error
        Path device = Files.createFile(tmp.resolve("video0"));
        SourceSpec spec = SourceSpec.parse("v4l2:" + device);
        GrabberSource source = new GrabberSource(spec, GrabberSource.CameraSettings.DEFAULT, Backoff.DEFAULT,
                () -> false, "video4linux2_not_loaded");
        assertThatThrownBy(source::open)
                .isInstanceOf(SourceException.class)
                .hasMessage("FFmpeg's camera input (video4linux2) is not available for " + device
                        + " because FFmpeg's device library could not load: install libpulse0 "
                        + "(sudo apt-get install libpulse0)");
    }

    @Test
    void emptyImageFolder(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "no images here");
        assertThatThrownBy(() -> ingest(tmp.toString()).run())
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("image folder " + tmp + " holds no images (bmp, jpeg, jpg, png,");
    }

    @Test
    void masksWithAVideoFile() {
        assertThatThrownBy(() -> FrameIngestor.builder(NO_BROKER, TOPICS).source(TestMedia.VTEST.toString())
                .masks(Path.of("/tmp")).build().run())
                .isInstanceOf(SourceException.class)
                .hasMessage("--masks pairs masks with an image folder, but " + TestMedia.VTEST + " is not a folder");
    }

    @Test
    void networkStreamRefused() {
        assertThat(SourceErrors.sentence(SourceSpec.parse("rtsp://127.0.0.1:1/cam"),
                "avformat_open_input() error -111: Could not open input \"rtsp://127.0.0.1:1/cam\"."))
                .isEqualTo("cannot connect to rtsp://127.0.0.1:1/cam (connection refused): check the URL and that "
                        + "the stream is running");
    }

    @Test
    void theCliPrintsOneSentenceAndExitsNonZero() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = CommandRunner.run(new IngestMain(), "ingest", "/no/such/dance.mp4", "--bootstrap-servers",
                    "127.0.0.1:1");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("error: video file /no/such/dance.mp4 does not exist: check the path");
    }
}
