package io.dancestream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.TopicReader;
import io.dancestream.common.net.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar cli/target/dance.jar broker --port N}: plain Kafka clients use it; SIGINT stops it.
 * With {@code --sasl-plain-user} only a client with that user's password gets in, and the
 * password is on neither the command line nor the output.
 */
class BrokerCommandIT {

    /**
     * The broker is started through {@code env --default-signal=INT}: a build run in the background
     * by a non-interactive shell has SIGINT ignored, children inherit that, and the JVM cannot undo
     * it — the Ctrl-C check would then test how the build was launched, not the broker.
     */
    private static final String ENV_DEFAULT_SIGINT = "env";

    @Test
    void standaloneBrokerServesPlainClientsAndStopsCleanlyOnCtrlC(@TempDir Path dataDir) throws Exception {
        int port = FreePorts.pick();
        Process broker = startBroker("--port", String.valueOf(port), "--data-dir", dataDir.toString());
        List<String> output = collect(broker);
        try {
            awaitLine(output, "Kafka broker listening on 127.0.0.1:" + port, Duration.ofSeconds(90));

            produceAndConsumeHello(new Properties(), port);

            // Ctrl-C
            new ProcessBuilder("kill", "-INT", String.valueOf(broker.pid())).start().waitFor();
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker exits after SIGINT").isTrue();
            awaitLine(output, "stopping broker", Duration.ofSeconds(5));
            assertThat(Files.exists(dataDir.resolve("dance-broker.properties"))).isTrue();
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void saslBrokerAdmitsOnlyTheUserWithItsPasswordAndNeverShowsThePassword(@TempDir Path dir) throws Exception {
        int port = FreePorts.pick();
        String user = "dance-svc";
        String secret = "pw-" + UUID.randomUUID();
        Path pwFile = dir.resolve("broker.pw");
        Files.writeString(pwFile, secret + "\n");
        Process broker = startBroker("--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString(),
                "--sasl-plain-user", user, "--sasl-plain-password-file", pwFile.toString());
        List<String> output = collect(broker);
        try {
            awaitLine(output, "Kafka broker listening on 127.0.0.1:" + port, Duration.ofSeconds(90));
            awaitLine(output, "Clients authenticate with SASL/PLAIN as " + user, Duration.ofSeconds(5));
            assertThat(broker.info().commandLine().orElse("")).as("command line seen by ps")
                    .contains("--sasl-plain-user").doesNotContain(secret);

            // with credentials (as a service's --kafka-config file would give them): produce and consume
            // (the broker created dancestream's topics through its own identity)
            produceAndConsumeHello(EmbeddedKafkaBroker.saslClientConfig(user, secret), port);

            // without credentials: never answered
            Properties anonymous = new Properties();
            anonymous.put("bootstrap.servers", "127.0.0.1:" + port);
            anonymous.put("default.api.timeout.ms", 6000);
            anonymous.put("request.timeout.ms", 3000);
            try (Admin admin = Admin.create(anonymous)) {
                assertThatThrownBy(() -> admin.listTopics().names().get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            }
            // a wrong password: refused with an authentication error
            Properties wrong = EmbeddedKafkaBroker.saslClientConfig(user, "not-" + secret.substring(3, 11));
            wrong.put("bootstrap.servers", "127.0.0.1:" + port);
            wrong.put("default.api.timeout.ms", 6000);
            wrong.put("request.timeout.ms", 3000);
            try (Admin admin = Admin.create(wrong)) {
                assertThatThrownBy(() -> admin.listTopics().names().get())
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }

            new ProcessBuilder("kill", "-INT", String.valueOf(broker.pid())).start().waitFor();
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker exits after SIGINT").isTrue();
            awaitLine(output, "stopping broker", Duration.ofSeconds(5));
        } finally {
            broker.destroyForcibly();
        }
        awaitLine(output, END_OF_OUTPUT, Duration.ofSeconds(10)); // every line read
        try (var files = Files.walk(dir.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("data dir file %s", f)
                        .doesNotContain(secret);
            }
        }
        String all;
        synchronized (output) {
            all = String.join("\n", output);
        }
        assertThat(all).as("the broker's output").contains("Kafka broker listening")
                .doesNotContain(secret).doesNotContain(secret.substring(3));
    }

    /** {@code java -jar target/dance.jar broker ARGS}, with SIGINT at its default (see above). */
    private static Process startBroker(String... args) throws Exception {
        Path jar = Path.of("target/dance.jar").toAbsolutePath();
        assertThat(jar).exists();
        List<String> cmd = new ArrayList<>(List.of(ENV_DEFAULT_SIGINT, "--default-signal=INT", "java", "-Xmx1g",
                "-jar", jar.toString(), "broker"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /**
     * A plain producer writes "hello" to dance.frames (which the broker created with 4 partitions)
     * and a plain consumer reads exactly that back; {@code clientConfig} adds e.g. SASL settings.
     */
    private static void produceAndConsumeHello(Properties clientConfig, int port) throws Exception {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put("bootstrap.servers", "127.0.0.1:" + port);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("dance.frames", "cam", "hello")).get(30, TimeUnit.SECONDS);
        }
        try (TopicReader<String, String> reader = TopicReader.open(p, new StringDeserializer(), new StringDeserializer(),
                "dance.frames", false)) {
            assertThat(reader.partitions()).hasSize(4); // the broker created dancestream's topics
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            reader.readUntil(Duration.ofSeconds(20), got::add, () -> !got.isEmpty());
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("hello");
        }
    }

    /** Added by the reader thread after the process's last line. */
    private static final String END_OF_OUTPUT = "<end of output>";

    private static List<String> collect(Process process) {
        List<String> output = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            out.lines().forEach(l -> add(output, l));
            add(output, END_OF_OUTPUT);
        });
        reader.setDaemon(true);
        reader.start();
        return output;
    }

    private static void add(List<String> output, String line) {
        synchronized (output) {
            output.add(line);
            output.notifyAll();
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
