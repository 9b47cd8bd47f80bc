package io.dancestream.ingest.export;

import io.dancestream.common.image.Mp4Writer;
import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.ingest.replay.TopicNames;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance export}: one stream of a frames or rendered topic into an MP4. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write one stream of a frames or rendered topic to a video file (MP4, MKV or WebM) through FFmpeg.")
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "rendered",
            description = "frames, rendered (under --topic-prefix) or a full topic name (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--stream", paramLabel = "ID", required = true, description = "The stream to export.")
    String stream;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "Video file to write; .mp4 (default), .mkv, .webm or .avi picks the container.")
    Path output;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "0",
            description = "Frame rate of the video (default: measured from the records' capture times).")
    double fps;

    @Option(names = "--codec", paramLabel = "mpeg4|h264|vp9", defaultValue = "mpeg4",
            description = "Video codec: mpeg4, h264 (OpenH264) or vp9 (default: ${DEFAULT-VALUE}).")
    Mp4Writer.Codec codec;

    @Option(names = "--type", paramLabel = "KIND", description = "frames or rendered, when the topic name does not say.")
    String type;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        try (ServiceRuntime rt = ServiceRuntime.start("export", service, -1)) {
            var s = Mp4Exporter.builder(rt.clients(), TopicNames.resolve(rt.topics(), topic), stream, output)
                    .fps(fps).codec(codec).kind(type).progress(!noProgress).stopWhen(rt::stopRequested)
                    .build().run();
            System.out.println(s.describe());
        }
        return 0;
    }
}
