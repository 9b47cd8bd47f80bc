package io.dancestream.ingest.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns FFmpeg's open errors into one sentence that says what to do. FFmpeg reports an errno
 * as a negative code in JavaCV's message ("avformat_open_input() error -2: ...").
 */
final class SourceErrors {

    private static final Pattern CODE = Pattern.compile("error (-?\\d+)");
    private static final int ENOENT = -2;
    private static final int EACCES = -13;
    private static final int EBUSY = -16;
    private static final int ENODEV = -19;
    private static final int EISDIR = -21;
    private static final int ETIMEDOUT = -110;
    private static final int ECONNREFUSED = -111;
    /** FFmpeg's AVERROR_INVALIDDATA: "Invalid data found when processing input". */
    private static final int INVALIDDATA = -1094995529;

    private SourceErrors() {
    }

    static SourceException explain(SourceSpec spec, Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new SourceException(sentence(spec, msg), e);
    }

    static String sentence(SourceSpec spec, String ffmpegMessage) {
        String where = spec.location();
        if (ffmpegMessage.contains("Could not find input format")) {
            return deviceLibraryMissing(spec);
        }
        int code = code(ffmpegMessage);
        boolean camera = spec.kind() == SourceSpec.Kind.CAMERA;
        if (code == EACCES || ffmpegMessage.contains("Permission denied")) {
            return camera ? cameraPermission(where) : "no permission to read " + where + ": check its file permissions";
        }
        if (code == ENOENT || code == ENODEV) {
            return camera ? noCamera(where) : spec.kind() == SourceSpec.Kind.FILE
                    ? missingFile(where) : "cannot open " + where + ": it was not found, check the URL";
        }
        if (code == EBUSY) {
            return "camera " + where + " is busy: close the other program that uses it (fuser " + where + " names it)";
        }
        if (code == ECONNREFUSED || code == ETIMEDOUT) {
            return "cannot connect to " + where + " (" + (code == ECONNREFUSED ? "connection refused" : "timed out")
                    + "): check the URL and that the stream is running";
        }
        if (code == EISDIR) {
            return where + " is a folder, not a video";
        }
        if (code == INVALIDDATA || ffmpegMessage.contains("Unsupported video format or codec")
                || ffmpegMessage.contains("avcodec_open2") || ffmpegMessage.contains("avformat_find_stream_info")) {
            return unreadableCodec(where);
        }
        return "cannot open " + where + ": " + clean(ffmpegMessage);
    }

    static String missingFile(String path) {
        return "video file " + path + " does not exist: check the path";
    }

    static String noCamera(String device) {
        return "no camera at " + device + ": connect one or pick another with v4l2:/dev/videoN "
                + "(ls /dev/video* lists them)";
    }

    static String cameraPermission(String device) {
        return "no permission to open camera " + device + ": add your user to the 'video' group "
                + "(sudo usermod -aG video $USER) and log in again";
    }

    static String unreadableCodec(String where) {
        return "FFmpeg cannot decode " + where + ": its container or codec is unknown or the file is damaged; "
                + "re-encode it to H.264 or MPEG-4 in MP4";
    }

    static String noVideoStream(String where) {
        return where + " has no video stream: pass a file or URL that contains video";
    }

    static String deviceLibraryMissing(SourceSpec spec) {
        return "FFmpeg's camera input (video4linux2) is not available for " + spec.location()
                + " because FFmpeg's device library could not load: install libpulse0 (sudo apt-get install libpulse0)";
    }

    private static int code(String msg) {
        Matcher m = CODE.matcher(msg);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** JavaCV appends hints meant for developers; a user needs FFmpeg's own words only. */
    private static String clean(String msg) {
        return msg.replace(" (Has setFormat() been called?)", "")
                .replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "")
                .trim();
    }
}
