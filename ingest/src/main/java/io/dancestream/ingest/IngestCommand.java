package io.dancestream.ingest;

import io.dancestream.common.config.FrameSize;
import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.service.ServicePorts;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.ingest.source.Pace;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dance ingest SOURCE}: a camera, file, stream or image folder into dance.frames. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Send a webcam (v4l2:/dev/video0), video file, URL (rtsp://, http://) or image folder "
                + "into the frames topic as JPEG Frame records keyed by --stream.",
            "An image folder with frames/ and masks/ (or --masks DIR) also sends the colour masks to masks.raw."})
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE",
            description = "v4l2:/dev/videoN, a video file, an rtsp://, rtmp://, udp:// or http(s):// URL, or an image folder.")
    String source;

    @Option(names = "--stream", paramLabel = "ID", defaultValue = "${env:DANCE_STREAM:-default}",
            description = "Stream id, the record key (env DANCE_STREAM; default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--pace", paramLabel = "realtime|max", defaultValue = "realtime",
            description = "Recorded sources: realtime sends each frame at its capture time, max as fast as the "
                    + "broker takes them (default: ${DEFAULT-VALUE}). Live sources are paced by the camera.")
    Pace pace;

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
            description = "Start a recorded source N frames in (default: ${DEFAULT-VALUE}).")
    long skip;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0", description = "Stop after N frames (0 = all).")
    long maxFrames;

    @Option(names = "--train", description = "Mark the stream for training: header dance.train=1 on every record.")
    boolean train;

    @Option(names = "--loop", description = "Start a file or folder over when it ends.")
    boolean loop;

    @Mixin
    EncodingOptions encoding = new EncodingOptions();

    @Option(names = "--fps", paramLabel = "N", defaultValue = "0",
            description = "Frame rate of an image folder (default 30); the rate a camera is asked for.")
    double fps;

    @Option(names = "--camera-size", paramLabel = "WxH", converter = FrameSize.Converter.class,
            description = "Capture size a camera is asked for, e.g. 640x480.")
    FrameSize cameraSize;

    @Option(names = "--masks", paramLabel = "DIR",
            description = "BodyPix colour masks paired with the image folder's frames by file name.")
    Path masks;

    @Option(names = "--no-progress", description = "No progress bar (it is only shown on a terminal anyway).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (source == null) {
            throw new IllegalArgumentException("no SOURCE given: pass a video file, image folder, URL or v4l2:/dev/videoN");
        }
        FrameIngestor.Builder builder = configure(FrameIngestor.builder(service.kafka().clients(), service.kafka().topics()));
        builder.build(); // checks the source before the broker is contacted
        try (ServiceRuntime rt = ServiceRuntime.start("ingest", service, ServicePorts.INGEST_METRICS)) {
            FrameIngestor ingestor = configure(FrameIngestor.builder(rt.clients(), rt.topics()))
                    .metrics(rt.metrics())
                    .onProducer(rt::bind)
                    .stopWhen(rt::stopRequested)
                    .build();
            rt.running(true);
            IngestSummary s = ingestor.run();
            System.out.println(s.describe());
        }
        return 0;
    }

    private FrameIngestor.Builder configure(FrameIngestor.Builder b) {
        encoding.applyTo(b).source(source).streamId(stream).pace(pace).skip(skip).maxFrames(maxFrames).train(train)
                .loop(loop).fps(fps).masks(masks).progress(!noProgress);
        if (cameraSize != null) {
            b.cameraSize(cameraSize.width(), cameraSize.height());
        }
        return b;
    }
}
