package io.dancestream.common;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Descriptors;
import io.dancestream.common.ingest.IngestHeaders;
import io.dancestream.common.kafka.DeadLetterHeaders;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.proto.Dance;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/design.md, the contract between the parts, true to the code: every topic (with its
 * partitions and retention), record and field, header, part class, metric, command-line option
 * and environment variable the code defines must be named there. A change to the contract then
 * fails here until the design page says what changed.
 */
class DesignDocTest {

    /** A name as a whole word: not inside a longer name (so "dance_frames" does not match "dance_frames_total"). */
    private static final String NOT_NAME = "[A-Za-z0-9_.-]";

    private static Path root;
    private static String doc;

    @BeforeAll
    static void readDoc() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/design.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("docs/design.md not found above " + Path.of("").toAbsolutePath());
        }
        root = dir;
        doc = Files.readString(dir.resolve("docs/design.md"));
    }

    @Test
    void everyTopicIsInTheTopicTableWithItsPartitionsAndRetention() {
        for (Topics.TopicSpec spec : Topics.withDefaultPrefix().specs()) {
            String row = row("| `" + spec.name() + "` |");
            assertTrue(row.contains("| " + spec.partitions() + " |"),
                    spec.name() + " has " + spec.partitions() + " partitions in Topics, not in docs/design.md: " + row);
            String retention = retention(spec);
            assertTrue(row.contains(retention),
                    spec.name() + " is '" + retention + "' in Topics, not in docs/design.md: " + row);
        }
    }

    @Test
    void everyRecordAndFieldOfDanceProtoIsNamed() {
        List<String> missing = new ArrayList<>();
        for (Descriptors.Descriptor message : Dance.getDescriptor().getMessageTypes()) {
            if (!named("`" + message.getName() + "`")) {
                missing.add(message.getName());
            }
            for (Descriptors.FieldDescriptor field : message.getFields()) {
                if (!named("`" + field.getName() + "`")) {
                    missing.add(message.getName() + "." + field.getName());
                }
            }
        }
        assertTrue(missing.isEmpty(), "dance.proto names missing from docs/design.md: " + missing);
    }

    @Test
    void everyHeaderIsNamed() throws IllegalAccessException {
        List<String> missing = new ArrayList<>();
        for (Class<?> c : List.of(IngestHeaders.class, DeadLetterHeaders.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                        && !named("`" + f.get(null) + "`")) {
                    missing.add(c.getSimpleName() + "." + f.getName() + " = " + f.get(null));
                }
            }
        }
        assertTrue(missing.isEmpty(), "headers missing from docs/design.md: " + missing);
    }

    @Test
    void everyPartClassIsInThePartTableWithItsIdAndColour() {
        for (BodyPart p : BodyPart.values()) {
            String row = row("| " + p.id() + " | `" + p.bodyPixName() + "` |");
            assertTrue(row.contains(p.red() + ", " + p.green() + ", " + p.blue()),
                    p + " colour differs from docs/design.md: " + row);
        }
    }

    /** Every meter DanceMetrics can register, under the name Prometheus exposes. */
    @Test
    void everySharedMetricIsNamedAsPrometheusExposesIt() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DanceMetrics metrics = new DanceMetrics(registry);
        for (Method m : DanceMetrics.class.getMethods()) {
            if (m.getDeclaringClass() != DanceMetrics.class || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Object[] args = new Object[m.getParameterCount()];
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = types[i] == String.class ? "x" : types[i] == double.class ? 1.0 : null;
                if (args[i] == null) {
                    fail("DesignDocTest cannot call DanceMetrics." + m.getName() + ": teach it a " + types[i]);
                }
            }
            m.invoke(metrics, args);
        }
        Set<String> names = new TreeSet<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (dance_\\w+) ").matcher(registry.scrape());
        while (type.find()) {
            names.add(type.group(1));
        }
        // Micrometer's companion gauge of every timer and summary (largest recent value): named once in the doc
        names.removeIf(n -> n.endsWith("_max") && names.contains(n.substring(0, n.length() - 4)));
        assertTrue(names.contains("dance_frames_total"), "scrape did not show the shared meters: " + names);
        List<String> missing = names.stream().filter(n -> !named(n)).toList();
        assertTrue(missing.isEmpty(), "metrics missing from docs/design.md: " + missing);
    }

    /** The services' own meters (SegmentMeters, TransferMeters, ...) by their Micrometer names. */
    @Test
    void everyMeterNameInMainSourceIsNamed() throws IOException {
        Pattern builder = Pattern.compile("\\.builder\\(\"(dance\\.[a-z0-9.]+)\"");
        List<String> missing = new ArrayList<>();
        for (String meter : matches(builder)) {
            String prometheus = meter.replace('.', '_');
            if (!Pattern.compile("(?<!" + NOT_NAME + ")" + Pattern.quote(prometheus) + "(_total|_seconds|_bytes)?(?!"
                    + NOT_NAME + ")").matcher(doc).find()) {
                missing.add(prometheus);
            }
        }
        assertTrue(missing.isEmpty(), "meters missing from docs/design.md: " + missing);
    }

    @Test
    void everyCommandLineOptionIsNamed() throws IOException {
        Pattern option = Pattern.compile("@Option\\(names\\s*=\\s*(\\{[^}]*}|\"[^\"]*\")");
        Pattern name = Pattern.compile("\"(--[a-z0-9-]+)\"");
        Set<String> options = new TreeSet<>();
        for (String names : matches(option)) {
            Matcher m = name.matcher(names);
            while (m.find()) {
                options.add(m.group(1));
            }
        }
        assertTrue(options.contains("--bootstrap-servers"), "no options found: " + options);
        List<String> missing = options.stream().filter(o -> !named("`" + o)).toList();
        assertTrue(missing.isEmpty(), "options missing from docs/design.md: " + missing);
    }

    @Test
    void everyEnvironmentVariableIsNamed() throws IOException {
        Set<String> vars = matches(Pattern.compile("\\b(DANCE_[A-Z0-9_]*[A-Z0-9])\\b"));
        assertTrue(vars.contains("DANCE_KAFKA_CONFIG"), "no environment variables found: " + vars);
        List<String> missing = vars.stream().filter(v -> !named("`" + v)).toList();
        assertTrue(missing.isEmpty(), "environment variables missing from docs/design.md: " + missing);
    }

    /** The retention a topic row states, from the topic's configs. */
    private static String retention(Topics.TopicSpec spec) {
        if ("compact".equals(spec.configs().get("cleanup.policy"))) {
            return "compacted";
        }
        long ms = Long.parseLong(spec.configs().get("retention.ms"));
        return ms < 0 ? "forever" : Duration.ofMillis(ms).toHours() + " h";
    }

    /** The one table row that starts with {@code start}. */
    private static String row(String start) {
        List<String> rows = doc.lines().filter(l -> l.startsWith(start)).toList();
        assertTrue(rows.size() == 1, "docs/design.md should have one table row starting " + start + ", has " + rows);
        return rows.get(0);
    }

    /** {@code text} in the doc, not followed by more of a name. */
    private static boolean named(String text) {
        return Pattern.compile(Pattern.quote(text) + "(?!" + NOT_NAME + ")").matcher(doc).find();
    }

    /** Group 1 of {@code p} over every main-source Java file of every module. */
    private static Set<String> matches(Pattern p) throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher m = p.matcher(Files.readString(f));
                        while (m.find()) {
                            found.add(m.group(1));
                        }
                    }
                }
            }
        }
        return found;
    }
}
