package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.pose.SegmenterConfig;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.transferstream.TransferSettings;
import io.dancestream.transferstream.TransferStreamApp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The middle of the live pipeline in this JVM, as the page tests need it: segment-stream (pairs
 * app off) and transfer-stream with their default live settings, each on its own service runtime
 * (metrics server, Kafka client metrics bound). Closes in the reverse order of starting.
 */
final class LiveStages implements AutoCloseable {

    final ServiceRuntime segmentRt;
    final ServiceRuntime transferRt;
    final SegmentStreamApp segment;
    final TransferStreamApp transfer;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    LiveStages(KafkaClients clients, Topics topics) throws Exception {
        try {
            transferRt = open(ServiceRuntime.start("transfer-stream", clients, topics, "127.0.0.1", 0));
            segmentRt = open(ServiceRuntime.start("segment-stream", clients, topics, "127.0.0.1", 0));
            Segmenter segmenter = open(Segmenter.create(SegmenterConfig.defaults()));
            segment = open(SegmentStreamApp.start(segmentRt.clients(), SegmentStreamConfig.defaults(topics),
                    segmenter, new MaskQuantizer(QuantizerFit.palette(), true), null, segmentRt.metrics(),
                    SegmentStreamApp.Options.defaults().withPairs(false)));
            transfer = open(TransferStreamApp.start(transferRt.clients(), TransferSettings.defaults(topics),
                    transferRt.metrics()));
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        transferRt.bind(transfer.streams());
        segment.streams().forEach(segmentRt::bind);
    }

    /** Asserts that both apps reach RUNNING within {@code patience}. */
    void awaitRunning(Duration patience) throws InterruptedException {
        assertThat(segment.awaitRunning(patience)).as("segment-stream running").isTrue();
        assertThat(transfer.awaitRunning(patience)).as("transfer-stream running").isTrue();
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
