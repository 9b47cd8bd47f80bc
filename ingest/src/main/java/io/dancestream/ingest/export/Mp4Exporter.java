package io.dancestream.ingest.export;


import com.google.protobuf.Message;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.image.Mp4Writer;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicReader;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.common.service.Progress;
import io.dancestream.ingest.RunBuilder;
import io.dancestream.ingest.replay.RecordKind;
import io.dancestream.ingest.source.FfmpegLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one stream of a frames or rendered topic to a video file with JavaCV's
 * {@link Mp4Writer}: one video frame per record, in topic order, at the stream's
 * frame rate (the median capture-time spacing of its first records, or a given rate).
 *
 * <pre>{@code
 * ExportSummary s = Mp4Exporter.builder(clients, "dance.rendered", "cam1", Path.of("out.mp4")).build().run();
 * }</pre>
 */
public final class Mp4Exporter {

    private static final Logger LOG = LoggerFactory.getLogger(Mp4Exporter.class);
    /** Records looked at to measure the frame rate before the encoder starts. */
    static final int RATE_PROBE = 30;

    static {
        FfmpegLog.quiet();
    }

    private final Builder b;

    private Mp4Exporter(Builder b) {
        this.b = b;
    }

    public static Builder builder(KafkaClients clients, String topic, String streamId, Path output) {
        return new Builder(clients, topic, streamId, output);
    }

    /** What one export wrote. */
    public record ExportSummary(Path output, long frames, long undecodable, int width, int height, double fps) {
        public String describe() {
            return String.format(Locale.ROOT, "wrote %d frames (%dx%d at %.2f fps) to %s%s", frames, width, height,
                    fps, output, undecodable > 0 ? ", skipped " + undecodable + " undecodable records" : "");
        }
    }

    public ExportSummary run() {
        RecordKind kind = b.kind != null ? b.kind : RecordKind.ofTopic(b.topic);
        if (kind != RecordKind.FRAMES && kind != RecordKind.RENDERED) {
            throw new IllegalArgumentException("export writes Frame or Rendered records, and " + b.topic
                    + " holds neither: pass a frames or rendered topic (or --type frames|rendered)");
        }
        Path parent = b.output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("cannot write " + b.output + ": folder " + parent + " does not exist");
        }
        TopicReader.requireTopics(b.clients.common(), b.topic);
        try (TopicReader<String, byte[]> reader = TopicReader.open(b.clients, b.topic, true);
             Writer writer = new Writer()) {
            TopicReader.Snapshot<String, byte[]> range = reader.snapshot();
            TreeSet<String> streamsSeen = new TreeSet<>();
            try (Progress progress = Progress.start("export " + b.streamId, -1, b.showsProgress())) {
                while (!range.done() && !b.stopRequested()) {
                    for (ConsumerRecord<String, byte[]> r : range.poll()) {
                        if (streamsSeen.size() < 20) {
                            streamsSeen.add(String.valueOf(r.key()));
                        }
                        if (!b.streamId.equals(r.key())) {
                            continue;
                        }
                        writer.add(r, kind);
                        progress.step();
                    }
                }
            }
            writer.finish();
            if (writer.frames == 0) {
                throw new IllegalArgumentException("topic " + b.topic + " has no " + (writer.undecodable > 0
                        ? "decodable " : "") + "records of stream " + b.streamId + ": check --stream (streams seen: "
                        + (streamsSeen.isEmpty() ? "none" : String.join(", ", streamsSeen)) + ")");
            }
            ExportSummary s = new ExportSummary(b.output, writer.frames, writer.undecodable, writer.width,
                    writer.height, writer.fps);
            LOG.info(s.describe());
            return s;
        }
    }

    /** Buffers the first records to measure the frame rate, then streams into the recorder. */
    private final class Writer implements AutoCloseable {
        private final List<Image> pending = new ArrayList<>();
        private Mp4Writer recorder;
        long frames;
        long undecodable;
        int width;
        int height;
        double fps;

        private record Image(byte[] jpeg, long captureUs) {
        }

        void add(ConsumerRecord<String, byte[]> r, RecordKind kind) {
            Message m;
            try {
                m = kind.decode(r.topic(), r.partition(), r.offset(), r.value());
            } catch (BadRecordException e) {
                LOG.warn("skipping undecodable record: {}", e.getMessage());
                undecodable++;
                return;
            }
            byte[] jpeg = m instanceof Frame f ? f.getJpeg().toByteArray() : ((Rendered) m).getJpeg().toByteArray();
            Image img = new Image(jpeg, RecordKind.captureTimeUs(m));
            if (recorder == null) {
                pending.add(img);
                if (pending.size() >= RATE_PROBE) {
                    startAndFlushPending();
                }
            } else {
                write(img);
            }
        }

        void finish() {
            if (recorder == null && !pending.isEmpty()) {
                startAndFlushPending();
            }
        }

        private void startAndFlushPending() {
            List<Image> probe = new ArrayList<>(pending);
            pending.clear();
            fps = b.fps > 0 ? b.fps : Mp4Writer.frameRate(probe.stream().mapToLong(Image::captureUs).toArray());
            for (Image img : probe) {
                write(img);
            }
        }

        private void write(Image img) {
            Mat mat;
            try {
                mat = ImageCodec.decodeColor(img.jpeg);
            } catch (ImageCodec.ImageDecodeException e) {
                LOG.warn("skipping a frame whose JPEG does not decode: {}", e.getMessage());
                undecodable++;
                return;
            }
            try (mat) {
                if (recorder == null) {
                    recorder = Mp4Writer.open(b.output, mat.cols(), mat.rows(), fps, b.codec);
                    width = recorder.width();
                    height = recorder.height();
                }
                recorder.write(mat);
                frames++;
            }
        }

        @Override
        public void close() {
            if (recorder != null) {
                recorder.close();
            }
        }
    }

    /** Settings of one export. */
    public static final class Builder extends RunBuilder<Builder> {
        private final KafkaClients clients;
        private final String topic;
        private final String streamId;
        private final Path output;
        private double fps;
        private Mp4Writer.Codec codec = Mp4Writer.Codec.mpeg4;
        private RecordKind kind;

        private Builder(KafkaClients clients, String topic, String streamId, Path output) {
            this.clients = Objects.requireNonNull(clients);
            this.topic = Objects.requireNonNull(topic);
            if (streamId == null || streamId.isBlank()) {
                throw new IllegalArgumentException("export needs --stream: the stream id to write");
            }
            this.streamId = streamId;
            this.output = Objects.requireNonNull(output);
        }

        /** Frame rate of the video; 0 = measured from capture times. */
        public Builder fps(double fps) {
            this.fps = fps;
            return this;
        }

        public Builder codec(Mp4Writer.Codec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        /** frames or rendered, when the topic name does not say. */
        public Builder kind(String kind) {
            this.kind = kind == null ? null : RecordKind.parse(kind);
            return this;
        }



        public Mp4Exporter build() {
            return new Mp4Exporter(this);
        }
    }
}
