package io.dancestream.viewer;

import io.dancestream.broker.EmbeddedKafkaBroker;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.records.Timings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces Frame, Segmentation and Rendered records of one stream at ~10 fps, seq from 0,
 * until stopped (a stream that ends) or closed.
 */
final class FrameFeed implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final String stream;
    private final boolean framesAndRenders;
    private final String source;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile long lastSeq = -1;

    FrameFeed(EmbeddedKafkaBroker broker, Topics topics, String stream) {
        this(broker, topics, stream, true, TestImages.SOURCE);
    }

    /** {@code framesAndRenders} false: only Segmentation records (a running transfer-stream renders them). */
    FrameFeed(EmbeddedKafkaBroker broker, Topics topics, String stream, boolean framesAndRenders) {
        this(broker, topics, stream, framesAndRenders, TestImages.SOURCE);
    }

    /** @param source the frames' {@code source} description, shown in the source panel's caption */
    FrameFeed(EmbeddedKafkaBroker broker, Topics topics, String stream, boolean framesAndRenders, String source) {
        this.framesAndRenders = framesAndRenders;
        this.source = source;
        this.producer = new KafkaProducer<>(broker.clients().producer("viewer-it-feed-" + stream));
        this.topics = topics;
        this.stream = stream;
        this.thread = new Thread(this::run, "viewer-it-feed-" + stream);
    }

    void sendGarbageFrame() throws Exception {
        producer.send(new ProducerRecord<>(topics.frames(), stream, new byte[] {1, 2, 3, 4, 5})).get();
    }

    /** Null values on all three topics: ignored, and the viewer keeps consuming. */
    void sendTombstones() throws Exception {
        for (String t : List.of(topics.frames(), topics.segments(), topics.rendered())) {
            producer.send(new ProducerRecord<String, byte[]>(t, stream, null)).get();
        }
    }

    /** Sends until stopped or closed. */
    void start() {
        thread.start();
    }

    /** Stops sending (the stream ends) and returns the seq of the last frame sent on every topic, -1 if none. */
    long stop() throws InterruptedException {
        stop.set(true);
        thread.join();
        producer.flush();
        return lastSeq;
    }

    private void run() {
        for (long seq = 0; !stop.get(); seq++) {
            long captureUs = Timings.nowMicros();
            long ts = captureUs / 1000;
            producer.send(new ProducerRecord<>(topics.segments(), null, ts, stream,
                    TestImages.segmentation(stream, seq, captureUs).toByteArray()));
            if (framesAndRenders) {
                producer.send(new ProducerRecord<>(topics.frames(), null, ts, stream,
                        TestImages.frame(stream, seq, captureUs, source).toByteArray()));
                producer.send(new ProducerRecord<>(topics.rendered(), null, ts, stream,
                        TestImages.rendered(stream, seq, captureUs).toByteArray()));
            }
            lastSeq = seq;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.interrupt();
        thread.join(5000);
        producer.close(Duration.ofSeconds(5));
    }
}
