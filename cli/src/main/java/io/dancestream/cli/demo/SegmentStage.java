package io.dancestream.cli.demo;

import io.dancestream.common.config.Mode;
import io.dancestream.common.kafka.KafkaClients;
import io.dancestream.common.kafka.Topics;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.segmentstream.pose.Segmenter;
import io.dancestream.segmentstream.quantize.MaskQuantizer;
import io.dancestream.segmentstream.quantize.QuantizerFit;
import io.dancestream.segmentstream.stream.SegmentStreamApp;
import io.dancestream.segmentstream.stream.SegmentStreamConfig;
import io.dancestream.segmentstream.stream.TrainingStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * segment-stream inside the demo: the same Streams app the service runs, started in the mode a
 * phase needs (replay while the training stream is segmented, live while the source plays). The
 * instances share one application id, so the live one resumes where the replay one committed.
 */
final class SegmentStage implements AutoCloseable {

    private final SegmentStreamApp app;

    private SegmentStage(SegmentStreamApp app) {
        this.app = app;
    }

    static SegmentStage start(KafkaClients clients, Topics topics, Mode mode, Duration budget, Segmenter segmenter,
                              ServiceRuntime rt, Path stateDir) throws Exception {
        Files.createDirectories(stateDir);
        // The target is ingested at max pace, far ahead of BlazePose; the pair join keeps its frames
        // until the target's own part maps pass them, so the default window loses none.
        SegmentStreamConfig cfg = SegmentStreamConfig.defaults(topics).withMode(mode).withMaxFrameAge(budget)
                .withTraining(new TrainingStreams(Set.of(DemoRun.TARGET_STREAM)));
        SegmentStreamApp app = SegmentStreamApp.start(clients, cfg, segmenter,
                new MaskQuantizer(QuantizerFit.palette(), true), null, rt.metrics(),
                SegmentStreamApp.Options.defaults().withStateDir(stateDir.toString()));
        app.streams().forEach(rt::bind);
        if (!app.awaitRunning(Duration.ofMinutes(2))) {
            app.close();
            throw new IllegalStateException("segment-stream did not reach RUNNING within 2 minutes");
        }
        rt.running(true);
        return new SegmentStage(app);
    }

    @Override
    public void close() {
        app.close();
    }
}
