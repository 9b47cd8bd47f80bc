package io.dancestream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.ingest.IngestHeaders;
import io.dancestream.common.config.CommandRunner;
import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.broker.testing.EmbeddedKafkaExtension;
import io.dancestream.common.testing.TestRecords;
import io.dancestream.common.testing.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The three subcommands wired end to end, as a user runs them (ServiceRuntime, topic creation, options). */
@ExtendWith(EmbeddedKafkaExtension.class)
class CliIT {

    @Test
    void ingestThenReplayThenExportFromTheCommandLine(EmbeddedKafkaBroker broker, @TempDir Path tmp) throws Exception {
        String recorded = TestTopics.uniquePrefix("cli-rec");
        String live = TestTopics.uniquePrefix("cli-live");
        String bootstrap = broker.bootstrapServers();

        int code = CommandRunner.run(new IngestMain(), "ingest", TestMedia.VTEST.toString(), "--stream", "c1",
                "--pace", "max", "--max-frames", "20", "--width", "160", "--train", "--no-progress",
                "--bootstrap-servers", bootstrap, "--topic-prefix", recorded, "--metrics-port", "0");
        assertThat(code).isZero();
        var frames = TestRecords.readAll(broker.clients().consumer(null), new Topics(recorded).frames(), 20,
                Duration.ofSeconds(30));
        assertThat(frames).hasSize(20);
        assertThat(frames).allSatisfy(r -> assertThat(IngestHeaders.isTraining(r.headers())).isTrue());
        Frame f0 = RecordSerdes.frame().decode(frames.get(0).topic(), 0, 0, frames.get(0).value());
        assertThat(f0.getWidth()).isEqualTo(160);
        assertThat(f0.getHeight()).isEqualTo(120);

        code = CommandRunner.run(new IngestMain(), "replay", "--from-topic", new Topics(recorded).frames(),
                "--stream", "c1", "--pace", "max", "--bootstrap-servers", bootstrap, "--topic-prefix", live);
        assertThat(code).isZero();
        var replayed = TestRecords.readAll(broker.clients().consumer(null), new Topics(live).frames(), 20,
                Duration.ofSeconds(30));
        assertThat(replayed).hasSize(20);

        Path mp4 = tmp.resolve("c1.mp4");
        code = CommandRunner.run(new IngestMain(), "export", "--topic", "frames", "--stream", "c1", "-o",
                mp4.toString(), "--bootstrap-servers", bootstrap, "--topic-prefix", live);
        assertThat(code).isZero();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            assertThat(n).isEqualTo(20);
            assertThat(g.getImageWidth()).isEqualTo(160);
        }
    }
}
