package io.dancestream.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The demo's settings after defaults, --quick and prerequisite checks. */
record DemoPlan(Path target, String source, boolean sourceIsTargetVideo, int sourceSkip, int targetFrames, int sourceFrames, Duration trainTime,
                Path out, int brokerPort, int viewerPort, int metricsBasePort, Duration budget, Duration linger,
                io.dancestream.trainer.model.Preset preset) {

    static DemoPlan of(DemoCommand c) {
        if (!Files.isReadable(c.target)) {
            throw new IllegalArgumentException(c.target.equals(DemoCommand.DEFAULT_VIDEO)
                    ? "the demo's default video " + c.target + " is missing: install Debian's opencv-doc "
                      + "(sudo apt-get install opencv-doc) or pass --target FILE"
                    : "target video " + c.target + " is not readable");
        }
        boolean ownSource = c.source != null;
        String source = ownSource ? c.source : c.target.toString();
        int targetFrames = c.quick ? Math.min(c.targetFrames, 120) : c.targetFrames;
        int sourceFrames = c.quick ? Math.min(c.sourceFrames, 60) : c.sourceFrames;
        int skip = c.sourceSkip != null ? c.sourceSkip
                : ownSource ? 0
                : c.target.equals(DemoCommand.DEFAULT_VIDEO) ? DemoCommand.DEFAULT_VIDEO_SOURCE_SKIP
                : targetFrames;
        if (skip < 0) {
            throw new IllegalArgumentException("--source-skip must be 0 or more, not " + skip);
        }
        Duration train = c.quick ? Duration.ofSeconds(Math.min(40, c.trainTime.toSeconds())) : c.trainTime;
        return new DemoPlan(c.target, source, !ownSource, skip, targetFrames, sourceFrames, train, c.out, c.brokerPort,
                c.viewerPort, c.metricsBasePort, c.budget, c.linger, io.dancestream.trainer.model.Preset.of(c.preset));
    }

    int metricsPort(int offset) {
        return metricsBasePort == 0 ? 0 : metricsBasePort + offset;
    }
}
