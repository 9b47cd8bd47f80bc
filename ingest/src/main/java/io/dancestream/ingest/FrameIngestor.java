package io.dancestream.ingest;

import com.google.protobuf.ByteString;
import io.dancestream.common.service.Progress;
import io.dancestream.common.ingest.FrameSender;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.metrics.DanceMetrics;
import io.dancestream.common.proto.RawMask;
import io.dancestream.common.records.Timings;
import io.dancestream.ingest.source.Backoff;
import io.dancestream.ingest.source.CapturedFrame;
import io.dancestream.ingest.source.FrameSource;
import io.dancestream.ingest.source.GrabberSource;
import io.dancestream.ingest.source.ImageFolderSource;
import io.dancestream.ingest.source.Pace;
import io.dancestream.ingest.source.Pacer;
import io.dancestream.ingest.source.SourceException;
import io.dancestream.ingest.source.SourceSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one source into {@code dance.frames} (and paired masks into {@code dance.masks.raw}):
 * Frame records keyed by stream id, seq from 0, record timestamp = capture time, JPEG via
 * OpenCV. The in-process API of {@code dance ingest}:
 *
 * <pre>{@code
 * IngestSummary s = FrameIngestor.builder(clients, topics)
 *         .source("/data/vtest.avi").streamId("cam1").pace(Pace.max).maxFrames(100)
 *         .build().run();
 * }</pre>
 *
 * Recorded sources (files, folders) are read, encoded and sent on the calling thread; the
 * producer's buffer is the back-pressure. Live sources are grabbed on their own thread into a
 * two-frame {@link LatestFrames} queue so the camera never waits: when the sender falls behind,
 * the oldest unsent frame is dropped and counted as {@code dropped_stale}.
 */
public final class FrameIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(FrameIngestor.class);
    public static final String STAGE = FrameSender.STAGE;
    /** Live: frames the broker may have unacknowledged before the sender waits (and the queue drops). */
    static final int LIVE_IN_FLIGHT = 2;
    static final int LIVE_QUEUE = 2;

    private final Builder b;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<RuntimeException> sendFailure = new AtomicReference<>();
    private final AtomicLong framesAcked = new AtomicLong();
    private final AtomicLong masksAcked = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final DanceMetrics.StageMeters meters;
    private final FrameEncoder encoder;
    private long seq;
    private long encodeNanos;
    private long firstCaptureUs = -1;
    private long lastCaptureUs = -1;

    private FrameIngestor(Builder b) {
        this.b = b;
        this.meters = b.metrics.stage(STAGE);
        this.encoder = new FrameEncoder(b.width, b.height, b.jpegQuality);
    }

    public static Builder builder(KafkaClients clients, Topics topics) {
        return new Builder(clients, topics);
    }

    /** Asks a running {@link #run()} to finish after the current frame (flushing what was sent). */
    public void stop() {
        stop.set(true);
    }

    private boolean stopping() {
        return stop.get() || b.stopRequested() || sendFailure.get() != null;
    }

    /**
     * Opens the source, sends its frames and flushes.
     *
     * @throws SourceException when the source cannot be opened (one sentence saying what to do)
     * @throws IngestException when the broker refuses a frame
     */
    public IngestSummary run() {
        FrameSource source = openSource();
        long start = System.nanoTime();
        try (source; KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                b.clients.producer("dance-ingest-" + b.streamId))) {
            b.onProducer.accept(producer);
            FrameSender sender = new FrameSender(producer, b.topics, b.metrics);
            long total = source.estimatedFrames();
            if (total > 0) {
                total = Math.max(0, total - b.skip);
            }
            if (b.maxFrames > 0 && (total < 0 || total > b.maxFrames) && !b.loop) {
                total = b.maxFrames;
            }
            try (Progress progress = Progress.start("ingest " + b.streamId, b.loop ? -1 : total, b.showsProgress())) {
                if (source.live()) {
                    runLive(source, sender, progress);
                } else {
                    runRecorded(source, sender, progress);
                }
                producer.flush();
            }
        }
        if (source.unreadable() > 0) {
            meters.outcome(DanceMetrics.FAILED).increment(source.unreadable());
        }
        RuntimeException failure = sendFailure.get();
        if (failure != null) {
            throw failure;
        }
        IngestSummary s = new IngestSummary(b.streamId, source.description(), framesAcked.get(), masksAcked.get(),
                dropped.get(), source.unreadable(), source.reconnects(), firstCaptureUs, lastCaptureUs,
                System.nanoTime() - start, encodeNanos);
        LOG.info(s.describe());
        return s;
    }

    private FrameSource openSource() {
        FrameSource source = switch (b.source.kind()) {
            case IMAGE_FOLDER -> new ImageFolderSource(Path.of(b.source.location()), b.masksDir, b.fps);
            default -> new GrabberSource(b.source, b.camera, b.backoff, this::stopping);
        };
        if (b.masksDir != null && b.source.kind() != SourceSpec.Kind.IMAGE_FOLDER) {
            throw new SourceException("--masks pairs masks with an image folder, but " + b.source.location()
                    + " is not a folder");
        }
        source.open();
        return source;
    }

    private void runRecorded(FrameSource source, FrameSender sender, Progress progress) {
        skipFrames(source);
        Pacer pacer = new Pacer(b.pace);
        double fps = source.frameRate() > 0 ? source.frameRate() : ImageFolderSource.DEFAULT_FPS;
        long frameIntervalUs = Math.round(1_000_000 / fps);
        long sinceRewind = 0;
        while (!stopping() && (b.maxFrames <= 0 || seq < b.maxFrames)) {
            CapturedFrame f = source.next();
            if (f == null) {
                if (b.loop && sinceRewind > 0) {
                    source.rewind();
                    pacer.restart(frameIntervalUs);
                    sinceRewind = 0;
                    continue;
                }
                break;
            }
            try (f) {
                long captureUs = pacer.captureTime(f.mediaTimeUs);
                if (!pacer.awaitSendTime(captureUs, this::stopping)) {
                    break;
                }
                send(sender, f, captureUs, null);
                sinceRewind++;
                progress.step();
            }
        }
    }

    /** Reads past the first {@code skip} frames of a recorded source: they are neither paced nor sent. */
    private void skipFrames(FrameSource source) {
        for (long i = 0; i < b.skip && !stopping(); i++) {
            CapturedFrame f = source.next();
            if (f == null) {
                throw new SourceException(b.source.description() + " has only " + i + " frames, fewer than --skip "
                        + b.skip);
            }
            f.close();
        }
    }

    private void runLive(FrameSource source, FrameSender sender, Progress progress) {
        LatestFrames<CapturedFrame> queue = new LatestFrames<>(LIVE_QUEUE);
        Thread capture = new Thread(() -> {
            try {
                CapturedFrame f;
                while (!stopping() && (f = source.next()) != null) {
                    CapturedFrame old = queue.offer(f.detached());
                    if (old != null) {
                        old.close();
                        dropped.incrementAndGet();
                        meters.droppedStale();
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("capture from {} failed: {}", source.description(), e.getMessage());
            } finally {
                queue.finish();
            }
        }, "ingest-capture-" + b.streamId);
        capture.setDaemon(true);
        capture.start();
        Semaphore inFlight = new Semaphore(LIVE_IN_FLIGHT);
        try {
            while (!stopping() && (b.maxFrames <= 0 || seq < b.maxFrames)) {
                CapturedFrame f = queue.take(200, TimeUnit.MILLISECONDS);
                if (f == null) {
                    if (queue.isFinished()) {
                        break;
                    }
                    continue;
                }
                try (f) {
                    inFlight.acquire();
                    send(sender, f, f.grabWallUs, inFlight);
                    progress.step();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.set(true);
            try {
                capture.join(TimeUnit.SECONDS.toMillis(15)); // a stalled network read times out after 10 s
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.drain().forEach(CapturedFrame::close);
        }
    }

    private void send(FrameSender sender, CapturedFrame f, long captureUs, Semaphore inFlight) {
        long startUs = Timings.nowMicros();
        long t0 = System.nanoTime();
        FrameEncoder.Encoded jpeg = encoder.frame(f.image, f.originalJpeg);
        FrameEncoder.Encoded mask = f.mask == null ? null : encoder.mask(f.mask, jpeg.width(), jpeg.height());
        encodeNanos += System.nanoTime() - t0;
        long frameSeq = seq++;
        if (firstCaptureUs < 0) {
            firstCaptureUs = captureUs;
        }
        lastCaptureUs = captureUs;
        sender.send(new FrameSender.Outgoing(b.streamId, frameSeq, captureUs, jpeg.bytes(), jpeg.width(), jpeg.height(),
                b.source.description(), b.train, startUs, t0, Double.NaN), (md, e, size) -> {
                    if (inFlight != null) {
                        inFlight.release();
                    }
                    if (e != null) {
                        sendFailure.compareAndSet(null, IngestException.of(e, b.topics.frames(), b.streamId, frameSeq,
                                size));
                    } else {
                        framesAcked.incrementAndGet();
                    }
                });
        if (mask != null) {
            RawMask m = RawMask.newBuilder()
                    .setStreamId(b.streamId)
                    .setSeq(frameSeq)
                    .setCaptureTimeUs(captureUs)
                    .setWidth(mask.width())
                    .setHeight(mask.height())
                    .setImage(ByteString.copyFrom(mask.bytes()))
                    .setSource(f.mask.source())
                    .addTimings(Timings.stage(STAGE, startUs, Timings.nowMicros()))
                    .build();
            byte[] maskValue = m.toByteArray();
            sender.sendAlongside(FrameSender.record(b.topics.masksRaw(), b.streamId, captureUs, maskValue, b.train),
                    (md, e) -> {
                        if (e != null) {
                            sendFailure.compareAndSet(null, IngestException.of(e, b.topics.masksRaw(), b.streamId,
                                    frameSeq, maskValue.length));
                        } else {
                            masksAcked.incrementAndGet();
                        }
                    });
        }
    }

    /** A frame the broker refused; the ingest stops with this. */
    public static final class IngestException extends RuntimeException {
        IngestException(String message, Throwable cause) {
            super(message, cause);
        }

        static IngestException of(Exception e, String topic, String stream, long seq, int size) {
            if (e instanceof RecordTooLargeException) {
                return new IngestException(String.format(java.util.Locale.ROOT,
                        "frame %d of stream %s is %.1f MB, above the %d MiB record limit of %s: "
                                + "ingest it smaller with --width/--height", seq, stream, size / 1e6,
                        Topics.MAX_MESSAGE_BYTES >> 20, topic), e);
            }
            return new IngestException("could not write frame " + seq + " of stream " + stream + " to " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /** Settings of one ingest; only the source is required. */
    public static final class Builder extends RunBuilder<Builder> {
        private final KafkaClients clients;
        private final Topics topics;
        private SourceSpec source;
        private String streamId = "default";
        private Pace pace = Pace.realtime;
        private boolean train;
        private long maxFrames;
        private long skip;
        private boolean loop;
        private int width;
        private int height;
        private double fps;
        private GrabberSource.CameraSettings camera = GrabberSource.CameraSettings.DEFAULT;
        private Path masksDir;
        private int jpegQuality = io.dancestream.common.image.ImageCodec.DEFAULT_JPEG_QUALITY;
        private DanceMetrics metrics;
        private Consumer<Producer<String, byte[]>> onProducer = p -> { };
        private Backoff backoff = Backoff.DEFAULT;

        private Builder(KafkaClients clients, Topics topics) {
            this.clients = Objects.requireNonNull(clients);
            this.topics = Objects.requireNonNull(topics);
        }

        /** A video file, image folder, URL or {@code v4l2:/dev/videoN}. */
        public Builder source(String source) {
            this.source = SourceSpec.parse(source);
            return this;
        }

        public Builder source(SourceSpec source) {
            this.source = source;
            return this;
        }

        public Builder streamId(String streamId) {
            if (streamId == null || streamId.isBlank()) {
                throw new IllegalArgumentException("--stream must not be empty");
            }
            this.streamId = streamId;
            return this;
        }

        public Builder pace(Pace pace) {
            this.pace = Objects.requireNonNull(pace);
            return this;
        }

        /** Marks every record {@code dance.train=1} (a training stream). */
        public Builder train(boolean train) {
            this.train = train;
            return this;
        }

        /** Start a recorded source this many frames in (e.g. a different segment of the same video). */
        public Builder skip(long frames) {
            if (frames < 0) {
                throw new IllegalArgumentException("--skip must be 0 or more, is " + frames);
            }
            this.skip = frames;
            return this;
        }

        /** Stop after this many frames (0 = all). */
        public Builder maxFrames(long maxFrames) {
            if (maxFrames < 0) {
                throw new IllegalArgumentException("--max-frames must not be negative");
            }
            this.maxFrames = maxFrames;
            return this;
        }

        /** Start a recorded source over when it ends. */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        /** Output size: with one of them 0 the other follows the aspect ratio; with both, fit inside. */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Frame rate of an image folder; the requested rate of a camera. */
        public Builder fps(double fps) {
            if (fps < 0) {
                throw new IllegalArgumentException("--fps must be positive");
            }
            this.fps = fps;
            return this;
        }

        /** The capture size a camera is asked for (0×0 = its default). */
        public Builder cameraSize(int width, int height) {
            this.camera = new GrabberSource.CameraSettings(width, height, camera.fps());
            return this;
        }

        /** Colour masks paired with an image folder's frames by file name. */
        public Builder masks(Path masksDir) {
            this.masksDir = masksDir;
            return this;
        }

        public Builder jpegQuality(int quality) {
            this.jpegQuality = quality;
            return this;
        }

        public Builder metrics(DanceMetrics metrics) {
            this.metrics = metrics;
            return this;
        }



        /** Called with the producer once created (e.g. {@code runtime::bind} for client metrics). */
        public Builder onProducer(Consumer<Producer<String, byte[]>> onProducer) {
            this.onProducer = Objects.requireNonNull(onProducer);
            return this;
        }

        Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public FrameIngestor build() {
            if (source == null) {
                throw new IllegalArgumentException("no source given");
            }
            // cheap checks now, so a typo fails before any broker or FFmpeg work
            if (source.live() && skip > 0) {
                throw new SourceException("--skip applies to recorded sources, not to live " + source.description());
            }
            if (source.kind() == SourceSpec.Kind.FILE || source.kind() == SourceSpec.Kind.CAMERA) {
                GrabberSource.checkPath(source);
            }
            if (metrics == null) {
                metrics = new DanceMetrics(new SimpleMeterRegistry());
            }
            if (fps > 0) {
                camera = new GrabberSource.CameraSettings(camera.width(), camera.height(), fps);
            }
            return new FrameIngestor(this);
        }
    }
}
