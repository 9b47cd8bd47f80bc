package io.dancestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar cli/target/dance.jar broker --port N}: plain Kafka clients use it; SIGINT stops it. */
class BrokerCommandIT {

    @Test
    void standaloneBrokerServesPlainClientsAndStopsCleanlyOnCtrlC(@TempDir Path dataDir) throws Exception {
        Path jar = Path.of("target/dance.jar").toAbsolutePath();
        assertThat(jar).exists();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process broker = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString(), "broker",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> out.lines().forEach(l -> {
                synchronized (output) {
                    output.add(l);
                    output.notifyAll();
                }
            }));
            reader.setDaemon(true);
            reader.start();
            awaitLine(output, "Kafka broker listening on 127.0.0.1:" + port, Duration.ofSeconds(90));

            Properties p = new Properties();
            p.put("bootstrap.servers", "127.0.0.1:" + port);
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            p.put("key.deserializer", StringDeserializer.class.getName());
            p.put("value.deserializer", StringDeserializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.send(new ProducerRecord<>("dance.frames", "cam", "hello")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                List<TopicPartition> parts = consumer.partitionsFor("dance.frames").stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                assertThat(parts).hasSize(4); // the broker created dancestream's topics
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                List<ConsumerRecord<String, String>> got = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertThat(got).extracting(ConsumerRecord::value).containsExactly("hello");
            }

            // Ctrl-C
            new ProcessBuilder("kill", "-INT", String.valueOf(broker.pid())).start().waitFor();
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker exits after SIGINT").isTrue();
            awaitLine(output, "stopping broker", Duration.ofSeconds(5));
            assertThat(Files.exists(dataDir.resolve("dance-broker.properties"))).isTrue();
        } finally {
            broker.destroyForcibly();
        }
    }

    private static void awaitLine(List<String> output, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (output.stream().noneMatch(l -> l.contains(text))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertThat(left).as("waiting for '" + text + "' in broker output: " + output).isPositive();
                output.wait(left);
            }
        }
    }
}
