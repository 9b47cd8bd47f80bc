package io.dancestream.transferstream;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.image.Mp4Writer;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.TopicReader;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.RecordSerde;
import io.dancestream.common.records.RecordSerdes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one stream as a video people can watch: source │ part map │ render side by side, one
 * video frame per source frame (by seq). A frame whose part map or render is missing (dropped as
 * stale, dead-lettered) shows a grey panel there, so gaps are visible rather than hidden.
 * Reads each topic from the beginning up to its end at start.
 */
public final class SideBySideExport {

    private static final Logger LOG = LoggerFactory.getLogger(SideBySideExport.class);
    static final Scalar MISSING = new Scalar(128, 128, 128, 0);

    private final KafkaClients clients;
    private final Topics topics;
    private final String streamId;

    public SideBySideExport(KafkaClients clients, Topics topics, String streamId) {
        this.clients = clients;
        this.topics = topics;
        this.streamId = streamId;
    }

    /** What was written. */
    public record Summary(Path output, int frames, int withParts, int withRender, int width, int height, double fps) {
    }

    /**
     * @param fps video frame rate, or 0 to take the median capture-time spacing of the source
     */
    public Summary write(Path output, double fps, int maxFrames) throws org.bytedeco.javacv.FrameRecorder.Exception {
        TreeMap<Long, Frame> frames = read(topics.frames(), RecordSerdes.frame(), Frame::getStreamId, Frame::getSeq, maxFrames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("stream '" + streamId + "' has no frames on " + topics.frames());
        }
        Map<Long, Segmentation> parts = read(topics.segments(), RecordSerdes.segmentation(), Segmentation::getStreamId,
                Segmentation::getSeq, Integer.MAX_VALUE);
        Map<Long, Rendered> renders = read(topics.rendered(), RecordSerdes.rendered(), Rendered::getStreamId,
                Rendered::getSeq, Integer.MAX_VALUE);
        Frame first = frames.firstEntry().getValue();
        int w = first.getWidth() & ~1;
        int h = first.getHeight() & ~1;
        double rate = fps > 0 ? fps : medianRate(new ArrayList<>(frames.values()));
        int withParts = 0;
        int withRender = 0;
        try (Mp4Writer rec = Mp4Writer.open(output, 3 * w, h, rate, Mp4Writer.Codec.mpeg4)) {
            for (Frame f : frames.values()) {
                Segmentation seg = parts.get(f.getSeq());
                Rendered r = renders.get(f.getSeq());
                try (Mat src = panel(ImageCodec.decodeColor(f.getJpeg().toByteArray()), w, h, INTER_LINEAR);
                     Mat part = seg == null ? grey(w, h) : partsPanel(seg, w, h);
                     Mat render = r == null ? grey(w, h) : panel(ImageCodec.decodeColor(r.getJpeg().toByteArray()), w, h,
                             INTER_LINEAR);
                     MatVector row = new MatVector(src, part, render);
                     Mat out = new Mat()) {
                    opencv_core.hconcat(row, out);
                    rec.write(out);
                }
                withParts += seg == null ? 0 : 1;
                withRender += r == null ? 0 : 1;
            }
        }
        LOG.info("wrote {} side-by-side frames of {} ({} with parts, {} rendered) to {}", frames.size(), streamId,
                withParts, withRender, output);
        return new Summary(output, frames.size(), withParts, withRender, 3 * w, h, rate);
    }

    private static Mat partsPanel(Segmentation seg, int w, int h) {
        try (Mat ids = FrameRenderer.decodeClassMap(seg); Mat colour = PartSchema.colorize(ids)) {
            return panel(colour.clone(), w, h, INTER_NEAREST);
        } catch (RuntimeException e) {
            return grey(w, h);
        }
    }

    /** Resizes (and closes) {@code img} to w×h. */
    private static Mat panel(Mat img, int w, int h, int interpolation) {
        try (img) {
            Mat out = new Mat();
            resize(img, out, new Size(w, h), 0, 0, interpolation);
            return out;
        }
    }

    private static Mat grey(int w, int h) {
        return new Mat(h, w, opencv_core.CV_8UC3, MISSING);
    }

    /** The median capture-time spacing of the first frames, at most 120 fps. */
    private static double medianRate(List<Frame> frames) {
        return Math.min(120, Mp4Writer.frameRate(frames.stream().limit(60).mapToLong(Frame::getCaptureTimeUs).toArray()));
    }

    /** The stream's records of one topic by seq (later duplicates win), up to the end offsets at start. */
    private <T extends com.google.protobuf.Message> TreeMap<Long, T> read(String topic, RecordSerde<T> serde,
            Function<T, String> stream, Function<T, Long> seq, int max) {
        TreeMap<Long, T> out = new TreeMap<>();
        // read_committed: segments and rendered frames are written in transactions; an aborted one's records are not shown
        try (TopicReader<String, byte[]> reader = TopicReader.open(clients, topic, true)) {
            reader.snapshot().forEach(r -> {
                if (!streamId.equals(r.key())) {
                    return;
                }
                try {
                    T v = serde.decode(r.topic(), r.partition(), r.offset(), r.value());
                    if (v != null && streamId.equals(stream.apply(v)) && out.size() < max) {
                        out.put(seq.apply(v), v);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("skipping {}", e.getMessage());
                }
            }, () -> out.size() >= max);
        }
        return out;
    }
}
