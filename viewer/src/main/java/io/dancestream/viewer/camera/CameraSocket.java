package io.dancestream.viewer.camera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.ingest.FrameSender;
import io.dancestream.common.records.Timings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One page's camera connection. The protocol, in order:
 * <ol>
 *   <li>page → {@code {"token":"..."}} (text; the token may be empty when none is configured);
 *       the viewer answers {@code {"ready":true,"maxBytes":N,"maxFps":F}}</li>
 *   <li>page → a {@link CameraMessage} (binary); the viewer produces it and, once the broker
 *       acknowledged it, answers {@code {"ack":pageSeq,"seq":recordSeq}} (or {@code {"error":..}}).
 *       The page sends its next frame only after that answer: one frame in flight per stream, and
 *       a frame that arrives while one is in flight is a protocol violation.</li>
 *   <li>page → {@code {"g2g":ms,"seq":recordSeq}} once it has shown the render of a frame it
 *       sent: glass-to-glass on the page's own clock, recorded for a seq of this connection once.</li>
 * </ol>
 * A bad message closes the connection (1008, or 1009 when too large) with the reason, after a
 * {@code {"error":..,"reason":..}} text the page shows; it is counted and never reaches a topic.
 * A frame over the connection's rate is dropped, counted and answered {@code {"dropped":pageSeq}}.
 */
public final class CameraSocket implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(CameraSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sent seqs whose glass-to-glass the page may still report. */
    private static final int REPORTABLE = 256;
    private static final long MAX_G2G_MS = 3_600_000;
    /** A replaced count that jumps by more is no capture counter. */
    private static final long MAX_REPLACED_STEP = 100_000;
    private static final int CLOSE_REASON_BYTES = 120;

    private final CameraIngest ingest;
    private final String remote;
    private final RateLimit rate;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final Map<Long, Boolean> reportable = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REPORTABLE;
        }
    };
    private volatile Session session;
    private boolean ready;
    private boolean closed;
    private String streamId;
    private long seq;
    private long replaced;

    CameraSocket(CameraIngest ingest, String remote, RateLimit rate) {
        this.ingest = ingest;
        this.remote = remote;
        this.rate = rate;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String text) {
        if (closed) {
            return;
        }
        try {
            if (!ready) {
                hello(text);
            } else {
                report(text);
            }
        } catch (CameraRefusal r) {
            refuse(r);
        }
    }

    private void hello(String text) {
        String token = ingest.settings().token();
        JsonNode n = parse(text);
        if (n == null || !n.has("token")) {
            throw new CameraRefusal(token != null ? CameraRefusal.TOKEN : CameraRefusal.PROTOCOL,
                    "the first message must be {\"token\":...}" + (token != null ? ": this viewer needs its token" : ""));
        }
        if (token != null && !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                n.path("token").asText("").getBytes(StandardCharsets.UTF_8))) {
            throw new CameraRefusal(CameraRefusal.TOKEN, "wrong or missing camera token");
        }
        ready = true;
        ObjectNode r = JSON.createObjectNode().put("ready", true).put("maxBytes", ingest.settings().maxMessageBytes())
                .put("maxFps", ingest.settings().maxFps());
        send(r.toString());
        LOG.info("camera connected from {}", remote);
    }

    private void report(String text) {
        JsonNode n = parse(text);
        if (n == null || !n.path("g2g").isNumber() || !n.path("seq").canConvertToLong()) {
            throw new CameraRefusal(CameraRefusal.PROTOCOL, "expected {\"g2g\":ms,\"seq\":n}");
        }
        double ms = n.path("g2g").asDouble();
        boolean known;
        synchronized (reportable) {
            known = reportable.remove(n.path("seq").asLong()) != null;
        }
        // a seq this connection did not send (or reported twice) or an absurd figure is ignored, not recorded
        if (known && ms >= 0 && ms <= MAX_G2G_MS) {
            ingest.glassToGlass().record(Math.round(ms * 1000), TimeUnit.MICROSECONDS);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (!closed) {
                frame(payload);
            }
        } catch (CameraRefusal r) {
            refuse(r);
        } finally {
            callback.succeed();
        }
    }

    private void frame(ByteBuffer payload) {
        long receiveUs = Timings.nowMicros(); // the record's capture time: the server's clock, not the page's
        long t0 = System.nanoTime();
        if (!ready) {
            throw new CameraRefusal(ingest.settings().token() != null ? CameraRefusal.TOKEN : CameraRefusal.PROTOCOL,
                    "a frame before the token message");
        }
        CameraMessage m = CameraMessage.parse(payload);
        if (streamId == null) {
            streamId = m.streamId();
            LOG.info("camera from {} streams as {}", remote, streamId);
        } else if (!streamId.equals(m.streamId())) {
            throw new CameraRefusal(CameraRefusal.BAD_STREAM_ID, "stream id changed from " + streamId + " to "
                    + m.streamId() + " on one connection");
        }
        if (!inFlight.compareAndSet(false, true)) {
            throw new CameraRefusal(CameraRefusal.IN_FLIGHT, "frame " + m.pageSeq()
                    + " sent before the previous one was acknowledged (one frame in flight)");
        }
        boolean sent = false;
        try {
            countReplaced(m.replaced());
            if (!rate.tryTake()) {
                ingest.refused(CameraRefusal.RATE);
                send(JSON.createObjectNode().put("dropped", m.pageSeq()).put("reason", "over "
                        + ingest.settings().maxFps() + " frames/s").toString());
                return;
            }
            int[] size = checkJpeg(m.jpeg());
            long recordSeq = seq++;
            synchronized (reportable) {
                reportable.put(recordSeq, Boolean.TRUE);
            }
            FrameSender.Outgoing out = new FrameSender.Outgoing(streamId, recordSeq, receiveUs, m.jpeg(), size[0],
                    size[1], "browser camera " + remote, false, receiveUs, t0, m.pageCaptureMs());
            sent = true;
            ingest.sender().send(out, (md, e, bytes) -> {
                inFlight.set(false);
                if (e != null) {
                    LOG.warn("camera frame {} of {} not written: {}", recordSeq, streamId, e.getMessage());
                    send(JSON.createObjectNode().put("error", "not written: " + e.getMessage())
                            .put("ack", m.pageSeq()).toString());
                } else {
                    send(JSON.createObjectNode().put("ack", m.pageSeq()).put("seq", recordSeq).toString());
                }
            });
        } finally {
            if (!sent) {
                inFlight.set(false);
            }
        }
    }

    /** The page's frames replaced before sending are ingest's stale drops (the live queue's, in the browser). */
    private void countReplaced(long total) {
        long step = total - replaced;
        if (step > 0 && step <= MAX_REPLACED_STEP) {
            ingest.sender().meters().outcome(io.dancestream.common.metrics.DanceMetrics.DROPPED_STALE).increment(step);
        }
        replaced = total;
    }

    /** Width and height of a JPEG within the limits; read from its header before OpenCV decodes the whole. */
    private int[] checkJpeg(byte[] jpeg) {
        int w;
        int h;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new CameraRefusal(CameraRefusal.BAD_JPEG, "not a JPEG: " + e.getMessage());
        }
        if ((long) w * h > ingest.settings().maxPixels()) {
            throw new CameraRefusal(CameraRefusal.TOO_LARGE, w + "x" + h + " is more than "
                    + ingest.settings().maxPixels() + " pixels");
        }
        try (Mat img = ImageCodec.decodeColor(jpeg)) {
            return new int[] {img.cols(), img.rows()};
        } catch (ImageCodec.ImageDecodeException e) {
            throw new CameraRefusal(CameraRefusal.BAD_JPEG, e.getMessage());
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (cause instanceof MessageTooLargeException) {
            // Jetty closes with 1009 itself; the refusal is counted here
            ingest.refused(CameraRefusal.TOO_LARGE);
            LOG.warn("camera connection from {} refused: {}", remote, cause.getMessage());
            closed = true;
        } else {
            LOG.debug("camera connection from {}: {}", remote, cause.toString());
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        LOG.info("camera from {} ({}) closed: {} {}", remote, streamId, statusCode, reason);
    }

    private void refuse(CameraRefusal r) {
        closed = true;
        ingest.refused(r.reason());
        LOG.warn("camera connection from {} refused ({}): {}", remote, r.reason(), r.getMessage());
        send(JSON.createObjectNode().put("error", r.getMessage()).put("reason", r.reason()).toString());
        Session s = session;
        if (s != null) {
            s.close(StatusCode.POLICY_VIOLATION, shortReason(r.reason() + ": " + r.getMessage()), Callback.NOOP);
        }
    }

    private static String shortReason(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= CLOSE_REASON_BYTES) {
            return reason;
        }
        return new String(b, 0, CLOSE_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    private synchronized void send(String text) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(text, Callback.NOOP);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }
}
