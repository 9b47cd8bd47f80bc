package io.dancestream.viewer;

import io.dancestream.common.config.ServiceOptions;
import io.dancestream.common.service.ServicePorts;
import io.dancestream.common.service.ServiceRuntime;
import io.dancestream.viewer.camera.CameraSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dance viewer}: the live browser page. */
@Command(name = "viewer", mixinStandardHelpOptions = true,
        description = "Serve a live page: per stream, source | part map | render side by side, with fps, "
                + "model version and glass-to-glass latency.")
public final class ViewerCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "${env:DANCE_VIEWER_BIND:-127.0.0.1}",
            description = "Address the page binds to (env DANCE_VIEWER_BIND; default: ${DEFAULT-VALUE}, "
                    + "local only; 0.0.0.0 in a container, where the browser camera needs a token).")
    String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:DANCE_VIEWER_PORT:-" + ServicePorts.VIEWER_HTTP + "}",
            description = "HTTP port of the page (env DANCE_VIEWER_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = "${env:DANCE_VIEWER_GROUP:-dance-viewer}",
            description = "Consumer group of this viewer; give each viewer instance its own "
                    + "(env DANCE_VIEWER_GROUP; default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--ended-after-s", paramLabel = "S", defaultValue = "${env:DANCE_VIEWER_ENDED_AFTER_S:-5}",
            description = "A stream with no frame for this many seconds is shown as ended, with its last frames, "
                    + "final fps and latency (env DANCE_VIEWER_ENDED_AFTER_S; default: ${DEFAULT-VALUE}).")
    double endedAfterSeconds;

    @Option(names = "--keep-ended-s", paramLabel = "S", defaultValue = "${env:DANCE_VIEWER_KEEP_ENDED_S:-0}",
            description = "Forget an ended stream this many seconds after its last frame; 0 keeps it until newer "
                    + "streams push it out (the " + LiveStreams.MAX_ENDED + " latest ended are kept) "
                    + "(env DANCE_VIEWER_KEEP_ENDED_S; default: ${DEFAULT-VALUE}).")
    double keepEndedSeconds;

    @Option(names = "--camera-token-file", paramLabel = "FILE", defaultValue = "${env:DANCE_CAMERA_TOKEN_FILE}",
            description = "File holding the browser camera's token (env DANCE_CAMERA_TOKEN_FILE; else the token is "
                    + "read from env " + CameraSettings.TOKEN_ENV + "; never given as an argument). A token, once set, is "
                    + "always required; without one the camera works only on a loopback --bind.")
    Path cameraTokenFile;

    @Option(names = "--no-camera", description = "Serve the page without the browser camera endpoint.")
    boolean noCamera;

    @Option(names = "--camera-max-fps", paramLabel = "F", defaultValue = "${env:DANCE_CAMERA_MAX_FPS:-30}",
            description = "Frames per second one camera connection may send; more are dropped and counted "
                    + "(env DANCE_CAMERA_MAX_FPS; default: ${DEFAULT-VALUE}).")
    double cameraMaxFps;

    @Option(names = "--camera-max-bytes", paramLabel = "N", defaultValue = "${env:DANCE_CAMERA_MAX_BYTES:-1048576}",
            description = "Largest camera message (header + JPEG); a larger one closes the connection "
                    + "(env DANCE_CAMERA_MAX_BYTES; default: ${DEFAULT-VALUE}).")
    int cameraMaxBytes;

    @Override
    public Integer call() throws Exception {
        StreamEnding ending;
        try {
            ending = new StreamEnding(seconds(endedAfterSeconds), seconds(keepEndedSeconds));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ended-after-s / --keep-ended-s: " + e.getMessage(), e);
        }
        CameraSettings camera = noCamera ? CameraSettings.off("the browser camera is off (--no-camera)")
                : CameraSettings.forBind(bind, cameraTokenFile, System.getenv(CameraSettings.TOKEN_ENV), cameraMaxBytes,
                        cameraMaxFps);
        try (ServiceRuntime rt = ServiceRuntime.start("viewer", service, ServicePorts.VIEWER_METRICS);
             Viewer viewer = Viewer.start(rt, bind, port, groupId, ending, camera)) {
            rt.running(true);
            System.out.println("viewer at http://" + bind + ":" + viewer.port() + "/ (topics "
                    + rt.topics().prefix() + "*, metrics port " + rt.metricsServer().port() + "); Ctrl-C stops it.");
            System.out.println(camera.enabled() ? "browser camera: \"Start camera\" on the page writes to "
                    + rt.topics().frames() + (camera.token() != null ? " (token required)" : "")
                    : camera.whyDisabled());
            System.out.flush();
            rt.awaitStop();
        }
        return 0;
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
