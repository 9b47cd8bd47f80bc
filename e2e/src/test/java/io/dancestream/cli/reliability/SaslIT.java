package io.dancestream.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dancestream.common.config.Mode;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import io.dancestream.ingest.FrameIngestor;
import io.dancestream.ingest.IngestCommand;
import io.dancestream.ingest.IngestSummary;
import io.dancestream.ingest.source.Pace;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A broker that admits only SASL/PLAIN users: ingest (its command line and its in-process
 * service), segment-stream (real BlazePose), transfer-stream and a plain consumer work with credentials that reach them only through
 * a {@code --kafka-config} file; a client without credentials, or with a wrong password, is
 * refused; the password appears in no log line and on no /metrics page.
 */
class SaslIT {

    static final Path VIDEO = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    static final String USER = "dance-svc";

    @TempDir
    Path dir;

    @Test
    void servicesAuthenticateOnlyThroughTheKafkaConfigFileAndSecretsStayOutOfLogsAndMetrics() throws Exception {
        assumeTrue(Files.isRegularFile(VIDEO), "opencv-doc's vtest.avi is not installed");
        String secret = "pw-" + UUID.randomUUID();
        Topics topics = TestTopics.unique("sasl");
        String ingestMetrics;
        String transferMetrics;
        String segmentMetrics;
        String transferHealth;
        List<ConsumerRecord<String, byte[]>> frames;
        List<ConsumerRecord<String, byte[]>> rendered;
        String log;
        try (LogCapture logs = new LogCapture()) {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("broker"))
                    .saslPlain(Map.of(USER, secret)).start()) {
                // the only place the services learn the broker address and the credentials
                Path config = dir.resolve("client.properties");
                Properties file = EmbeddedKafkaBroker.saslClientConfig(USER, secret);
                file.put("bootstrap.servers", broker.bootstrapServers());
                try (Writer w = Files.newBufferedWriter(config)) {
                    file.store(w, "SASL client config of the dancestream services");
                }

                // the real command line: dance ingest --kafka-config FILE (creates the topics, sends 5 frames)
                int rc = new CommandLine(new IngestCommand()).execute("--kafka-config", config.toString(),
                        "--topic-prefix", topics.prefix(), "--stream", "cli", "--pace", "max", "--max-frames", "5",
                        "--width", "160", "--metrics-port", "-1", "--no-progress", VIDEO.toString());
                assertThat(rc).as("dance ingest exit code").isZero();

                // the services as their commands start them, clients loaded from the file alone
                try (ServiceRuntime ingestRt = ServiceRuntime.start("ingest", KafkaClients.load(null, config), topics,
                        "127.0.0.1", 0);
                     ServiceRuntime transferRt = ServiceRuntime.start("transfer-stream", KafkaClients.load(null, config),
                             topics, "127.0.0.1", 0);
                     TransferStreamApp transfer = TransferStreamApp.start(transferRt.clients(),
                             TransferSettings.defaults(topics).withMode(Mode.replay, Duration.ZERO), transferRt.metrics());
                     ServiceRuntime segmentRt = ServiceRuntime.start("segment-stream", KafkaClients.load(null, config),
                             topics, "127.0.0.1", 0);
                     Segmenter segmenter = Segmenter.create(SegmenterConfig.defaults().withThreads(2));
                     SegmentStreamApp segment = SegmentStreamApp.start(segmentRt.clients(),
                             SegmentStreamConfig.defaults(topics).withMode(Mode.replay), segmenter,
                             new MaskQuantizer(QuantizerFit.palette(), true), null, segmentRt.metrics(),
                             SegmentStreamApp.Options.defaults())) {
                    segment.streams().forEach(segmentRt::bind);
                    assertThat(segment.awaitRunning(Duration.ofSeconds(90))).as("segment-stream running").isTrue();
                    transferRt.bind(transfer.streams());
                    transferRt.running(true);
                    assertThat(transfer.awaitRunning(Duration.ofSeconds(90))).as("transfer-stream running").isTrue();

                    IngestSummary s = FrameIngestor.builder(ingestRt.clients(), topics).source(VIDEO.toString())
                            .streamId("cam").pace(Pace.max).maxFrames(20).size(160, 0)
                            .metrics(ingestRt.metrics()).onProducer(ingestRt::bind).build().run();
                    assertThat(s.frames()).isEqualTo(20);

                    // a plain consumer, also configured by the file only
                    KafkaClients plain = KafkaClients.load(null, config);
                    frames = TestRecords.readAll(plain.consumer(null), topics.frames(), 25, Duration.ofSeconds(60));
                    rendered = TestRecords.readAll(plain.consumer(null), topics.rendered(), 25, Duration.ofSeconds(120));
                    ingestMetrics = Http.get(ingestRt.metricsServer().port(), "/metrics");
                    transferMetrics = Http.get(transferRt.metricsServer().port(), "/metrics");
                    transferHealth = Http.get(transferRt.metricsServer().port(), "/health");
                    segmentMetrics = Http.get(segmentRt.metricsServer().port(), "/metrics");
                }

                // no credentials: the broker never answers the request
                Properties anonymous = new Properties();
                anonymous.put("bootstrap.servers", broker.bootstrapServers());
                anonymous.put("default.api.timeout.ms", 6000);
                anonymous.put("request.timeout.ms", 3000);
                try (Admin admin = Admin.create(anonymous)) {
                    assertThatThrownBy(() -> admin.listTopics().names().get())
                            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
                }
                Properties anonProducer = KafkaClients.of(anonymous).producer("anonymous");
                anonProducer.put("max.block.ms", 5000);
                try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(anonProducer)) {
                    assertThatThrownBy(() -> p.send(new ProducerRecord<>(topics.frames(), "x", new byte[1])).get())
                            .hasCauseInstanceOf(TimeoutException.class);
                }
                // a wrong password: refused with an authentication error
                Properties wrong = EmbeddedKafkaBroker.saslClientConfig(USER, "not-" + secret.substring(3, 11));
                wrong.put("bootstrap.servers", broker.bootstrapServers());
                wrong.put("default.api.timeout.ms", 6000);
                wrong.put("request.timeout.ms", 3000);
                try (Admin admin = Admin.create(wrong)) {
                    assertThatThrownBy(() -> admin.listTopics().names().get())
                            .hasCauseInstanceOf(SaslAuthenticationException.class);
                }
            }
            log = logs.text();
        }

        Set<String> framesIn = frames.stream().map(r -> key(r.value(), true)).collect(Collectors.toSet());
        assertThat(framesIn).as("frames sent by the command and the service").hasSize(25);
        assertThat(rendered.stream().map(r -> key(r.value(), false)).toList())
                .as("one render per frame (segmented by segment-stream), stream + seq").containsExactlyInAnyOrderElementsOf(framesIn);
        assertThat(transferHealth).startsWith("UP");
        // the pages are real: they carry the stage counters and the Kafka client metrics
        assertThat(ingestMetrics).contains("dance_frames_total{outcome=\"processed\",service=\"ingest\",stage=\"ingest\"} 20.0")
                .contains("kafka_producer_");
        assertThat(transferMetrics).contains("dance_frames_total{outcome=\"processed\",service=\"transfer-stream\",stage=\"transfer\"} 25.0")
                .contains("kafka_stream_");
        // the capture is real: the refused client's error is in it
        assertThat(log).contains("failed authentication");
        assertThat(segmentMetrics).contains("dance_frames_total{outcome=\"processed\",service=\"segment-stream\",stage=\"segment\"} 25.0");
        for (String page : List.of(ingestMetrics, transferMetrics, transferHealth, segmentMetrics, log)) {
            assertThat(page).doesNotContain(secret).doesNotContain(secret.substring(3));
        }
    }

    private static String key(byte[] value, boolean frame) {
        try {
            if (frame) {
                Frame f = Frame.parseFrom(value);
                return f.getStreamId() + "/" + f.getSeq();
            }
            Rendered r = Rendered.parseFrom(value);
            return r.getStreamId() + "/" + r.getSeq();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
