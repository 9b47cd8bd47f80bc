package io.dancestream.cli.reliability;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.proto.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * frames → segments with a synthetic part map per frame, by a plain consumer and producer
 * (at least once: it commits after its sends are acknowledged). It stands in for segment-stream
 * where a test is about transport, and rides out broker outages the way any Kafka client does.
 */
final class SegmentBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentBridge.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stop;

    SegmentBridge(KafkaClients clients, Topics topics) {
        Properties c = clients.consumer(topics.prefix() + "segment-bridge");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(c);
        this.producer = new KafkaProducer<>(clients.producer("segment-bridge"));
        this.topics = topics;
        this.thread = new Thread(this::run, "segment-bridge");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        consumer.subscribe(List.of(topics.frames()));
        while (!stop) {
            try {
                var batch = consumer.poll(Duration.ofMillis(200));
                for (var r : batch) {
                    Frame f = Frame.parseFrom(r.value());
                    producer.send(new ProducerRecord<>(topics.segments(), r.key(),
                            SyntheticSegments.forFrame(f).toByteArray()));
                }
                if (!batch.isEmpty()) {
                    producer.flush();
                    sent.addAndGet(batch.count());
                    consumer.commitSync(Duration.ofSeconds(30));
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                break;
            } catch (Exception e) {
                // a broker outage surfaces here as a commit timeout; the producer retries its sends
                // (delivery.timeout.ms) and the next batch's commit covers this one
                LOG.warn("segment bridge: {}", e.toString());
            }
        }
    }

    long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
        producer.close(Duration.ofSeconds(2));
    }
}
