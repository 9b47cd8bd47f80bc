package io.dancestream.viewer;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.common.proto.Frame;
import io.dancestream.common.proto.Rendered;
import io.dancestream.common.proto.Segmentation;
import io.dancestream.common.records.BadRecordException;
import io.dancestream.common.records.RecordSerdes;
import io.dancestream.viewer.PanelImage.BadImageException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows frames, segments and rendered with the viewer's own consumer group from the latest
 * offsets (a viewer shows now, never history) and puts the newest image of every stream and
 * panel into {@link LiveStreams}. Of a polled batch only the newest record per stream and
 * panel is decoded, so a burst costs one decode, not a queue; the older ones are counted as
 * {@code dropped_stale}.
 *
 * <p>A record becomes an image a browser can show here ({@link #source}, {@link #parts},
 * {@link #render}). Frames and renders are JPEGs already and pass through untouched (after a
 * signature check); a class map is ids, not colours, so it is coloured with BodyPix's palette
 * and sent as a lossless PNG, when a page first asks for it.
 */
public final class TopicFollower implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    public static final String STAGE = "viewer";

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final LiveStreams streams;
    private final DanceMetrics.StageMeters meters;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stop;

    TopicFollower(KafkaClients clients, String groupId, Topics topics, LiveStreams streams, DanceMetrics metrics) {
        Properties p = clients.consumer(groupId);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "dance-viewer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // the viewer always starts at the end, so committed offsets would only mislead lag tools
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p);
        this.topics = topics;
        this.streams = streams;
        this.meters = metrics.stage(STAGE);
        this.thread = new Thread(this, "viewer-consumer");
        this.thread.setDaemon(true);
    }

    KafkaConsumer<String, byte[]> consumer() {
        return consumer;
    }

    void start() {
        thread.start();
    }

    /** Waits until partitions are assigned and positioned at their ends (records after this are shown). */
    boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topics.frames(), topics.segments(), topics.rendered()),
                    new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                            consumer.seekToEnd(parts);
                            for (TopicPartition tp : parts) {
                                consumer.position(tp); // resolve the end now, not lazily at the next fetch
                            }
                            if (!parts.isEmpty()) {
                                positioned.countDown();
                            }
                        }
                    });
            while (!stop) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                handle(batch);
            }
        } catch (WakeupException e) {
            if (!stop) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("viewer consumer stopped: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecords<String, byte[]> batch) {
        // newest record per (stream, panel) of this batch; within a partition later = newer
        Map<String, ConsumerRecord<String, byte[]>> newest = new LinkedHashMap<>();
        int records = 0;
        for (ConsumerRecord<String, byte[]> r : batch) {
            Panel panel = panelOf(r.topic());
            // a tombstone (null value) carries nothing to show: ignored, as RecordSerde documents
            if (panel != null && r.value() != null) {
                newest.put(panel.id() + '\u0000' + r.key(), r);
                records++;
            }
        }
        if (records > newest.size()) {
            // superseded within the batch before they could be shown: counted, never silent
            meters.outcome(DanceMetrics.DROPPED_STALE).increment(records - newest.size());
        }
        for (ConsumerRecord<String, byte[]> r : newest.values()) {
            show(r);
        }
    }

    private void show(ConsumerRecord<String, byte[]> r) {
        long start = System.nanoTime();
        Panel panel = panelOf(r.topic());
        try {
            String stream;
            PanelImage image;
            switch (panel) {
                case SOURCE -> {
                    Frame f = RecordSerdes.frame().decode(r.topic(), r.partition(), r.offset(), r.value());
                    stream = f.getStreamId();
                    image = source(f);
                }
                case PARTS -> {
                    Segmentation s = RecordSerdes.segmentation().decode(r.topic(), r.partition(), r.offset(), r.value());
                    stream = s.getStreamId();
                    image = parts(s);
                }
                default -> {
                    Rendered x = RecordSerdes.rendered().decode(r.topic(), r.partition(), r.offset(), r.value());
                    stream = x.getStreamId();
                    image = render(x);
                }
            }
            if (!streams.put(stream, panel, image)) {
                LOG.warn("not showing stream {}: the viewer already shows {} streams", stream, LiveStreams.MAX_STREAMS);
                return;
            }
            meters.processed();
            meters.recordStage(System.nanoTime() - start);
        } catch (BadRecordException | BadImageException e) {
            // the producing stage owns the DLQ; the viewer only reports and skips
            meters.failed();
            LOG.warn("skipping unshowable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        } catch (RuntimeException e) {
            // whatever else one record does wrong, it must not stop the viewer
            meters.failed();
            LOG.error("skipping record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString(), e);
        }
    }

    /** The captured frame's JPEG as it is, labelled with its source. */
    static PanelImage source(Frame f) {
        byte[] jpeg = f.getJpeg().toByteArray();
        requireJpeg(jpeg, "frame jpeg");
        return new PanelImage(jpeg, "image/jpeg", f.getSeq(), f.getCaptureTimeUs(), f.getSource());
    }

    /** The render's JPEG as it is, labelled with the generator that made it. */
    static PanelImage render(Rendered r) {
        byte[] jpeg = r.getJpeg().toByteArray();
        requireJpeg(jpeg, "rendered jpeg");
        String label = r.getPlaceholder() ? "generator " + r.getGeneratorVersion() + " (placeholder)"
                : "generator " + r.getGeneratorVersion();
        return new PanelImage(jpeg, "image/jpeg", r.getSeq(), r.getCaptureTimeUs(), label);
    }

    /**
     * The coloured part map, made when a page first asks for it. The PNG header is checked now
     * (8-bit greyscale, as the contract says), so a wrong image type is refused at once; a PNG
     * whose data is corrupt fails when it is coloured.
     */
    public static PanelImage parts(Segmentation s) {
        byte[] png = s.getClassMap().toByteArray();
        requireClassMapPng(png);
        String label = (s.getModelId().isEmpty() ? "" : s.getModelId())
                + (s.getLandmarksCount() > 0 ? String.format(" · person %.2f", s.getPersonScore()) : "");
        return PanelImage.lazy(() -> colour(png), "image/png", s.getSeq(), s.getCaptureTimeUs(), label.strip());
    }

    /** Decodes the class ids and colours them with BodyPix's palette (common's PartSchema). */
    static byte[] colour(byte[] classMapPng) {
        Mat ids;
        try {
            ids = ImageCodec.decodeUnchanged(classMapPng);
        } catch (ImageCodec.ImageDecodeException e) {
            throw new BadImageException("class_map: " + e.getMessage());
        }
        try (ids) {
            if (ids.type() != opencv_core.CV_8UC1) {
                throw new BadImageException("class_map is not an 8-bit single-channel image (OpenCV type "
                        + ids.type() + ")");
            }
            try (Mat colour = PartSchema.colorize(ids)) {
                return ImageCodec.encodeLabelPng(colour);
            }
        }
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** PNG signature, then the IHDR chunk: bit depth at byte 24, colour type at 25 (0 = greyscale). */
    private static void requireClassMapPng(byte[] b) {
        boolean png = b.length >= 26;
        for (int i = 0; png && i < PNG_SIGNATURE.length; i++) {
            png = b[i] == PNG_SIGNATURE[i];
        }
        if (!png || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new BadImageException("class_map is not an 8-bit single-channel PNG (not a PNG, " + b.length
                    + " bytes)");
        }
        if (b[24] != 8 || b[25] != 0) {
            throw new BadImageException("class_map is not an 8-bit single-channel PNG (bit depth " + b[24]
                    + ", colour type " + b[25] + ")");
        }
    }

    private static void requireJpeg(byte[] b, String what) {
        // JPEG start-of-image marker; anything else would show as a broken image
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            throw new BadImageException(what + " is not a JPEG (" + b.length + " bytes)");
        }
    }

    private Panel panelOf(String topic) {
        if (topic.equals(topics.frames())) {
            return Panel.SOURCE;
        }
        if (topic.equals(topics.segments())) {
            return Panel.PARTS;
        }
        if (topic.equals(topics.rendered())) {
            return Panel.RENDER;
        }
        return null;
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
