package io.dancestream.ingest.export;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.google.protobuf.Message;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.ingest.Progress;
import io.dancestream.ingest.replay.RecordKind;
import io.dancestream.ingest.replay.TopicRange;
import io.dancestream.ingest.source.FfmpegLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one stream of a frames or rendered topic to a video file with JavaCV's
 * {@link FFmpegFrameRecorder}: one video frame per record, in topic order, at the stream's
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
    static final double FALLBACK_FPS = 10;

    /** Video codecs of JavaCV's default FFmpeg build (it has no libx264). */
    public enum Codec {
        mpeg4, h264, vp9
    }

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
        TopicRange.requireTopics(b.clients.common(), b.topic);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(TopicRange.readerProps(b.clients));
             Writer writer = new Writer()) {
            TopicRange range = TopicRange.of(consumer, b.topic, null, null, null);
            range.assign(consumer);
            TreeSet<String> streamsSeen = new TreeSet<>();
            try (Progress progress = Progress.start("export " + b.streamId, -1, b.progress)) {
                while (!range.done(consumer) && !b.stopWhen.getAsBoolean()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (!range.contains(new TopicPartition(r.topic(), r.partition()), r.offset())) {
                            continue;
                        }
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
        private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        private FFmpegFrameRecorder recorder;
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
            fps = b.fps > 0 ? b.fps : measuredFps(probe.stream().mapToLong(Image::captureUs).toArray());
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
                    start(mat.cols(), mat.rows());
                }
                // frames of another size are scaled by the recorder to the first frame's size
                recorder.record(converter.convert(mat), AV_PIX_FMT_BGR24);
                frames++;
            } catch (FFmpegFrameRecorder.Exception e) {
                throw new IllegalStateException("FFmpeg could not encode frame " + frames + " into " + b.output + ": "
                        + e.getMessage(), e);
            }
        }

        private void start(int w, int h) {
            // yuv420p needs even sizes
            width = Math.max(2, w & ~1);
            height = Math.max(2, h & ~1);
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(b.output.toFile(), width, height, 0);
            r.setFormat(container(b.output));
            switch (b.codec) {
                case mpeg4 -> {
                    r.setVideoCodec(AV_CODEC_ID_MPEG4);
                    r.setVideoQuality(3); // qscale 3: visually clean, a few MB per minute at 640x480
                }
                case h264 -> {
                    r.setVideoCodecName("libopenh264");
                    r.setVideoBitrate(4_000_000);
                }
                case vp9 -> {
                    r.setVideoCodecName("libvpx-vp9");
                    r.setVideoBitrate(2_000_000);
                }
                default -> throw new IllegalStateException();
            }
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setFrameRate(fps);
            try {
                r.start();
            } catch (FFmpegFrameRecorder.Exception e) {
                throw new IllegalStateException("FFmpeg cannot write " + b.output + " with codec " + b.codec + ": "
                        + e.getMessage(), e);
            }
            recorder = r;
        }

        @Override
        public void close() {
            converter.close();
            if (recorder != null) {
                try {
                    recorder.stop();
                    recorder.release();
                } catch (FFmpegFrameRecorder.Exception e) {
                    throw new IllegalStateException("FFmpeg could not finish " + b.output + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Frames per second from the median spacing of capture times (robust to a dropped frame). */
    static double measuredFps(long[] captureUs) {
        if (captureUs.length < 2) {
            return FALLBACK_FPS;
        }
        long[] gaps = new long[captureUs.length - 1];
        int n = 0;
        for (int i = 1; i < captureUs.length; i++) {
            long g = captureUs[i] - captureUs[i - 1];
            if (g > 0) {
                gaps[n++] = g;
            }
        }
        if (n == 0) {
            return FALLBACK_FPS;
        }
        long[] sorted = Arrays.copyOf(gaps, n);
        Arrays.sort(sorted);
        double fps = 1e6 / sorted[n / 2];
        return Math.round(fps * 100) / 100.0;
    }

    static String container(Path output) {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mkv")) {
            return "matroska";
        }
        if (name.endsWith(".webm")) {
            return "webm";
        }
        if (name.endsWith(".avi")) {
            return "avi";
        }
        return "mp4";
    }

    /** Settings of one export. */
    public static final class Builder {
        private final KafkaClients clients;
        private final String topic;
        private final String streamId;
        private final Path output;
        private double fps;
        private Codec codec = Codec.mpeg4;
        private RecordKind kind;
        private boolean progress;
        private BooleanSupplier stopWhen = () -> false;

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

        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        /** frames or rendered, when the topic name does not say. */
        public Builder kind(String kind) {
            this.kind = kind == null ? null : RecordKind.parse(kind);
            return this;
        }

        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        public Builder stopWhen(BooleanSupplier stopWhen) {
            this.stopWhen = Objects.requireNonNull(stopWhen);
            return this;
        }

        public Mp4Exporter build() {
            return new Mp4Exporter(this);
        }
    }
}
