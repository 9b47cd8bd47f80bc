package io.dancestream.transferstream;

import io.dancestream.common.kafka.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The transfer topology under a {@link TopologyTestDriver}, with its input and output topics. The
 * model loader runs on the calling thread, so a published model is in service before the next record
 * is piped (in the app it loads in the background).
 */
final class TransferTopologyDriver implements AutoCloseable {

    /** The application id; it names the stores' changelog topics. */
    static final String APP_ID = "transfer-test";

    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> segments;
    final TestInputTopic<String, byte[]> models;
    final TestOutputTopic<String, byte[]> rendered;
    private final GeneratorRegistry registry;

    TransferTopologyDriver(TransferSettings settings, TransferMeters meters, int jpegQuality, Path dir) {
        registry = new GeneratorRegistry(Runnable::run, settings.selection(), meters.listener(), ModelProbe.of(settings));
        FrameRenderer renderer = new FrameRenderer(jpegQuality, null, meters, settings.placement());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        driver = new TopologyTestDriver(TransferStreamApp.topology(settings, registry, renderer, meters), p);
        Topics topics = settings.topics();
        segments = driver.createInputTopic(topics.segments(), new StringSerializer(), new ByteArraySerializer());
        models = driver.createInputTopic(topics.models(), new StringSerializer(), new ByteArraySerializer());
        rendered = output(topics.rendered());
    }

    TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
        registry.close();
    }
}
