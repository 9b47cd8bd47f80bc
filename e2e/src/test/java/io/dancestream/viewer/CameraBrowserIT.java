package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.trainer.export.GeneratorExporter;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.model.TrainingSession;
import io.dancestream.bench.transfer.TransferBenchmarkCommand;
import io.dancestream.viewer.camera.CameraIngest;
import io.dancestream.viewer.camera.CameraSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer page as a camera, end to end: headless Chromium's fake camera plays a 640×480,
 * 20 fps Y4M made from vtest.avi (JavaCV, at test time); "Start camera" sends it over the
 * WebSocket; the viewer produces it to dance.frames; segment-stream (BlazePose) and
 * transfer-stream (an untrained person-crop model: the path trained models serve) render it;
 * the page shows its own stream's render and measures glass-to-glass on its own clock.
 * Counts are asserted, never speeds; the figures it prints go to docs/benchmarks-viewer.md.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class CameraBrowserIT {

    static final Path VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    private static final Duration PATIENCE = Duration.ofSeconds(240);
    private static final String STREAM = "cam-browser";
    private static final int FRAMES = 300;
    private static final int G2G_REPORTS = 20;

    @Test
    void thePageStreamsItsCameraAndSeesItsOwnRenders(EmbeddedKafkaBroker broker) throws Exception {
        assertThat(VIDEO).as("opencv-doc sample video").exists();
        Path dir = Files.createTempDirectory("camera-it-");
        // 8 s of vtest, each frame twice: 20 fps at 640x480 (Chromium loops the file)
        Path y4m = FakeCameraFile.y4m(VIDEO, dir.resolve("vtest.y4m"), 640, 480, 80, 2);
        Topics topics = TestTopics.unique("camera-browser");
        ModelVersion model = untrainedPersonCropModel(dir.resolve("model"));
        try (ServiceRuntime viewerRt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             LiveStages stages = new LiveStages(broker.clients(), topics);
             Viewer viewer = Viewer.start(viewerRt, "127.0.0.1", 0, "viewer-camera-it", StreamEnding.defaults(),
                     CameraSettings.localDefaults())) {
            stages.awaitRunning(PATIENCE);
            assertThat(viewer.awaitFollowing(PATIENCE)).as("viewer following").isTrue();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("it-models"))) {
                p.send(new ProducerRecord<>(topics.models(), model.getName(), model.toByteArray())).get();
            }
            awaitModel(stages.transferRt.metrics().registry(), model.getName());

            ChromeDriver driver = HeadlessChromium.start(1400, 900, "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream", "--use-file-for-fake-video-capture=" + y4m);
            try {
                JavascriptExecutor js = driver;
                WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(250));
                driver.get("http://127.0.0.1:" + viewer.port() + "/#stream=" + STREAM);
                driver.findElement(By.id("camera-start")).click();
                long started = System.nanoTime();
                // a few hundred frames acknowledged by the broker
                wait.until(d -> number(stats(js), "acked") >= FRAMES);
                double seconds = (System.nanoTime() - started) / 1e9;
                Map<String, Object> atCount = stats(js);
                // renders of the page's own frames came back and were measured on the page's clock
                wait.until(d -> ((List<?>) stats(js).get("g2gMs")).size() >= G2G_REPORTS);
                wait.until(d -> d.findElement(By.id("camera-p50")).getText().matches("\\d+ ms"));
                var mine = driver.findElement(By.cssSelector("section.stream.mine[data-stream='" + STREAM + "']"));
                assertThat(mine.findElement(By.cssSelector("figure[data-panel='render'] img")).getAttribute("data-seq"))
                        .matches("\\d+");
                Map<String, Object> s = stats(js);
                assertThat(s.get("errors")).asList().isEmpty();
                assertThat(number(s, "width")).isEqualTo(640);
                assertThat(number(s, "height")).isEqualTo(480);
                Files.write(Path.of("target", "camera-page.png"), driver.getScreenshotAs(OutputType.BYTES));

                // dance.frames: the page's stream, as ingest writes it
                List<ConsumerRecord<String, byte[]>> records = TestRecords.readAll(broker.clients().consumer("check"),
                        topics.frames(), FRAMES, PATIENCE);
                List<Frame> frames = records.stream().filter(r -> STREAM.equals(r.key())).map(r -> parse(r.value()))
                        .toList();
                assertThat(frames).hasSizeGreaterThanOrEqualTo(FRAMES);
                for (int i = 0; i < FRAMES; i++) {
                    assertThat(frames.get(i).getSeq()).isEqualTo(i);
                    assertThat(frames.get(i).getWidth()).isEqualTo(640);
                    assertThat(frames.get(i).getHeight()).isEqualTo(480);
                    assertThat(frames.get(i).getSource()).isEqualTo("browser camera 127.0.0.1");
                }
                try (var img = ImageCodec.decodeColor(frames.get(FRAMES - 1).getJpeg().toByteArray())) {
                    assertThat(img.cols()).isEqualTo(640);
                }
                // the viewer's metrics: ingest's meters for the camera, the page's glass-to-glass
                MeterRegistry reg = viewerRt.metrics().registry();
                assertThat(reg.find("dance.frames").tags("stage", "ingest", "outcome", DanceMetrics.PROCESSED)
                        .counter().count()).isGreaterThanOrEqualTo(FRAMES);
                var g2g = reg.find("dance.glass.to.glass").tag("sink", CameraIngest.SINK).timer();
                assertThat(g2g.count()).isGreaterThanOrEqualTo(G2G_REPORTS - 1); // the last report may be on its way
                // replaced frames reach ingest's stale count with the next frame sent, never more than the page counted
                double staleDrops = reg.find("dance.frames").tags("stage", "ingest", "outcome", DanceMetrics.DROPPED_STALE)
                        .counter().count();
                assertThat(staleDrops).isLessThanOrEqualTo(number(stats(js), "replaced"));

                List<Double> ms = ((List<?>) s.get("g2gMs")).stream().map(v -> ((Number) v).doubleValue()).sorted()
                        .toList();
                System.out.printf(Locale.ROOT, "CAMERA-BENCH frames=%d in %.1f s (%.1f fps acked), replaced=%d, "
                                + "g2g n=%d p50=%.0f p95=%.0f p99=%.0f ms, viewer-sink g2g p50 n/a, load %s%n",
                        number(atCount, "acked"), seconds, number(atCount, "acked") / seconds, number(s, "replaced"),
                        ms.size(), q(ms, 0.5), q(ms, 0.95), q(ms, 0.99), Files.readString(Path.of("/proc/loadavg")).strip());
                System.out.printf(Locale.ROOT, "CAMERA-BENCH server g2g{sink=camera} n=%d mean=%.0f ms max=%.0f ms%n",
                        g2g.count(), g2g.mean(TimeUnit.MILLISECONDS), g2g.max(TimeUnit.MILLISECONDS));
            } finally {
                driver.quit();
            }
        }
    }

    /** An untrained cpu-realtime generator with a vtest frame as plate: a person-crop model, as trained ones are. */
    private static ModelVersion untrainedPersonCropModel(Path dir) throws Exception {
        try (TrainingSession t = new TrainingSession(Preset.CPU_REALTIME.config(), 1)) {
            GeneratorExporter.export(t, dir);
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(VIDEO.toFile());
             Java2DFrameConverter c = new Java2DFrameConverter()) {
            g.start();
            javax.imageio.ImageIO.write(c.convert(g.grabImage()), "png", dir.resolve("plate.png").toFile());
        }
        return TransferBenchmarkCommand.benchVersion(dir).toBuilder().setName("camera-it")
                .setInputSize(Preset.CPU_REALTIME.config().size()).build();
    }

    private static void awaitModel(MeterRegistry transfer, String name) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (transfer.find("dance.model.info").tag("model", name).gauge() == null) {
            assertThat(System.nanoTime()).as("transfer-stream serves " + name).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(JavascriptExecutor js) {
        return (Map<String, Object>) js.executeScript("return window.cameraStats();");
    }

    private static long number(Map<String, Object> stats, String key) {
        return ((Number) stats.get(key)).longValue();
    }

    private static Frame parse(byte[] value) {
        try {
            return Frame.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static double q(List<Double> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
    }
}
