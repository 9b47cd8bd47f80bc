package io.dancestream.transferstream;

import io.dancestream.common.config.KafkaOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dance transfer-stream side-by-side --stream ID out.mp4}: source │ parts │ render video. */
@Command(name = "side-by-side", mixinStandardHelpOptions = true,
        description = "Write one stream as source | part map | render side by side to an MP4 (MPEG-4 Part 2).")
public final class SideBySideExportCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "The stream to export.")
    String stream;

    @Parameters(paramLabel = "OUT.mp4", description = "Output video (.mp4 or .mkv).")
    Path output;

    @Option(names = "--fps", defaultValue = "0",
            description = "Frame rate (default: the source's, from capture times).")
    double fps;

    @Option(names = "--max-frames", defaultValue = "100000", description = "Stop after this many source frames.")
    int maxFrames;

    @Override
    public Integer call() throws Exception {
        var s = new SideBySideExport(kafka.clients(), kafka.topics(), stream).write(output, fps, maxFrames);
        System.out.printf("wrote %d frames (%dx%d at %.2f fps; %d with part maps, %d rendered) to %s%n", s.frames(),
                s.width(), s.height(), s.fps(), s.withParts(), s.withRender(), s.output());
        return 0;
    }
}
