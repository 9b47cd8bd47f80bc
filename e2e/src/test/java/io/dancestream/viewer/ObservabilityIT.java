package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.TrainingPair;
import io.dancestream.common.records.Timings;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.source.Pace;
import io.dancestream.trainer.model.Preset;
import io.dancestream.trainer.train.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An embedded pipeline scraped by a real Prometheus: ingest (FrameIngestor on a real video),
 * segment-stream (BlazePose on those frames), transfer-stream (the Kafka Streams app, rendering
 * what arrives on segments), a tiny trainer run (TrainJob on pairs in the topic, publishing a
 * generator that transfer-stream loads), and the viewer watched by headless Chromium (so
 * glass-to-glass is measured for real). Then every PromQL query of the Grafana dashboard runs
 * against Prometheus and must return data.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ObservabilityIT {

    static final Path VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    /** Bounds every wait so a broken pipeline fails instead of hanging (generous: CI machines are shared). */
    private static final Duration PATIENCE = Duration.ofSeconds(240);
    /** Grafana's $__rate_interval is at least four scrape intervals; the test scrapes every second. */
    private static final String RATE_INTERVAL = "15s";
    private static final String TRAIN_STREAM = "obs-train";

    @Test
    void everyDashboardQueryReturnsDataFromTheRunningServices(EmbeddedKafkaBroker broker) throws Exception {
        assertThat(VIDEO).as("opencv-doc sample video").exists();
        Topics topics = TestTopics.unique("observability");
        AtomicBoolean stop = new AtomicBoolean();
        List<String> missing = new ArrayList<>();
        sendTrainingPairs(broker, topics, 40);
        Path trainDir = Files.createTempDirectory("viewer-it-train-");
        try (ServiceRuntime ingestRt = ServiceRuntime.start("ingest", broker.clients(), topics, "127.0.0.1", 0);
             ServiceRuntime viewerRt = ServiceRuntime.start("viewer", broker.clients(), topics, "127.0.0.1", 0);
             ServiceRuntime trainerRt = ServiceRuntime.start("trainer", broker.clients(), topics, "127.0.0.1", 0);
             LiveStages stages = new LiveStages(broker.clients(), topics);
             Viewer viewer = Viewer.start(viewerRt, "127.0.0.1", 0, "viewer-observability-it")) {
            stages.awaitRunning(PATIENCE);
            assertThat(viewer.awaitFollowing(PATIENCE)).as("viewer following").isTrue();

            FrameIngestor ingestor = FrameIngestor.builder(ingestRt.clients(), topics)
                    .source(VIDEO.toString()).streamId("obs-video").pace(Pace.realtime).loop(true)
                    .metrics(ingestRt.metrics()).onProducer(ingestRt::bind).stopWhen(stop::get).build();
            Thread ingestThread = new Thread(ingestor::run, "it-ingest");
            ingestThread.start();
            // the smallest preset, a few steps: losses, a step rate, and a published generator that
            // transfer-stream hot-swaps in (dance_model_info) — a real model, not a good one
            TrainJob train = TrainJob.builder(trainerRt.clients(), topics).streams(Set.of(TRAIN_STREAM))
                    .preset(Preset.TINY).maxSteps(30).checkpointEvery(1000).sampleEvery(1000)
                    .workDir(trainDir.resolve("work")).modelStore(trainDir.resolve("store")).modelName("obs-tiny")
                    .metrics(trainerRt.metrics()).stopWhen(stop::get).build();
            Thread trainThread = new Thread(train::run, "it-train");
            trainThread.start();
            // besides BlazePose's part maps of the video (live mode may drop many on a busy machine),
            // a test feed of real Segmentation records keeps renders flowing to the viewer
            try (FrameFeed parts = new FrameFeed(broker, topics, "obs-parts", false);
                 PrometheusProcess prometheus = new PrometheusProcess(Map.of(
                         "ingest", "127.0.0.1:" + ingestRt.metricsServer().port(),
                         "transfer-stream", "127.0.0.1:" + stages.transferRt.metricsServer().port(),
                         "viewer", "127.0.0.1:" + viewerRt.metricsServer().port(),
                         "trainer", "127.0.0.1:" + trainerRt.metricsServer().port(),
                         "segment-stream", "127.0.0.1:" + stages.segmentRt.metricsServer().port()))) {
                parts.start();
                ChromeDriver driver = HeadlessChromium.start();
                try {
                    driver.get("http://127.0.0.1:" + viewer.port() + "/");
                    // the page has shown renders: glass-to-glass has been recorded
                    new WebDriverWait(driver, PATIENCE, Duration.ofMillis(250)).until(d ->
                            d.findElements(By.cssSelector("section.stream[data-stream='obs-parts'] .g2g")).stream()
                                    .anyMatch(e -> e.getText().matches("\\d+ ms")));

                    long deadline = System.nanoTime() + PATIENCE.toNanos();
                    awaitData(prometheus, "min(up{job=~\"ingest|segment-stream|transfer-stream|viewer|trainer\"}) == 1", deadline);
                    // the trained generator has been published and hot-swapped into transfer-stream
                    awaitData(prometheus, "dance_model_info{service=\"transfer-stream\",model=\"obs-tiny\"}", deadline);
                    Map<String, JsonNode> results = new LinkedHashMap<>();
                    for (GrafanaDashboard.Query q : GrafanaDashboard.queries(GrafanaDashboard.load())) {
                        String promql = q.forPrometheus(RATE_INTERVAL);
                        JsonNode r = awaitData(prometheus, promql, deadline);
                        results.put(q.panel() + " [" + q.refId() + "]", r);
                        if (!hasFiniteValue(r)) {
                            missing.add(q.panel() + " [" + q.refId() + "]: " + promql + " -> " + r);
                        }
                    }
                    assertThat(missing).as("dashboard queries without data; Prometheus log:\n" + prometheus.log()).isEmpty();
                    // the data is the pipeline's: stages, the serving model, the viewer's latency
                    assertThat(labels(results, "Frames/s by stage", "stage")).contains("ingest", "segment", "transfer");
                    assertThat(labels(results, "Serving model version", "service")).contains("transfer-stream");
                    assertThat(labels(results, "Serving model version", "model")).contains("obs-tiny");
                    assertThat(labels(results, "Consumer lag", "service")).contains("viewer", "transfer-stream");
                    assertThat(labels(results, "Glass-to-glass p50", "sink")).containsExactly("viewer");
                    assertThat(labels(results, "Training loss", "kind")).contains("d", "g", "g_gan", "g_l1");
                } finally {
                    driver.quit();
                }
            } finally {
                stop.set(true);
                ingestThread.join(30_000);
                trainThread.join(60_000);
            }
        }
    }

    /** Real training pairs (JPEG frame + 8-bit class-map PNG) on the pairs topic, for the trainer. */
    private static void sendTrainingPairs(EmbeddedKafkaBroker broker, Topics topics, int n) throws Exception {
        io.dancestream.common.kafka.TopicAdmin.ensureTopics(broker.clients().common(), topics.specs(), PATIENCE);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(broker.clients().producer("it-pairs"))) {
            for (int seq = 0; seq < n; seq++) {
                TrainingPair pair = TrainingPair.newBuilder().setStreamId(TRAIN_STREAM).setSeq(seq)
                        .setCaptureTimeUs(Timings.nowMicros()).setWidth(TestImages.W).setHeight(TestImages.H)
                        .setFrameJpeg(ByteString.copyFrom(TestImages.jpeg(seq, 0)))
                        .setClassMap(ByteString.copyFrom(TestImages.classMap(seq))).build();
                p.send(new ProducerRecord<>(topics.pairs(), TRAIN_STREAM, pair.toByteArray()));
            }
            p.flush();
        }
    }

    /** Polls until the query returns a finite value or the deadline passes; returns the last result. */
    private static JsonNode awaitData(PrometheusProcess prometheus, String promql, long deadline) throws Exception {
        JsonNode r = prometheus.query(promql);
        while (!hasFiniteValue(r) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = prometheus.query(promql);
        }
        return r;
    }

    private static boolean hasFiniteValue(JsonNode result) {
        for (JsonNode series : result) {
            String v = series.path("value").path(1).asText();
            if (!v.isEmpty() && !v.equals("NaN") && !v.endsWith("Inf")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> labels(Map<String, JsonNode> results, String panelPrefix, String label) {
        List<String> out = new ArrayList<>();
        results.forEach((panel, r) -> {
            if (panel.startsWith(panelPrefix)) {
                r.forEach(s -> out.add(s.path("metric").path(label).asText()));
            }
        });
        return out.stream().distinct().toList();
    }
}
