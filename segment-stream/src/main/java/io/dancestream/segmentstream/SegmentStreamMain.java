package io.dancestream.segmentstream;

import io.dancestream.common.config.CommandRunner;
import io.dancestream.segmentstream.stream.SegmentStreamCommand;

/** Entry point of the segment-stream jar ({@code dance segment-stream} without the launcher). */
public final class SegmentStreamMain {

    private SegmentStreamMain() {
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new SegmentStreamCommand(), args));
    }
}
