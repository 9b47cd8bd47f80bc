package io.dancestream.viewer.camera;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One camera frame as the page sends it: a binary WebSocket message of a small big-endian
 * header and the JPEG.
 *
 * <pre>
 * u8  version (1)
 * u8  stream id length L (1..64)
 * L   stream id, ASCII [A-Za-z0-9._-]
 * u32 page seq (the page's capture counter)
 * f64 page capture time, ms on the page's clock (performance.timeOrigin + performance.now())
 * u32 replaced: frames the page has replaced so far (captured, never sent), cumulative
 * ... JPEG
 * </pre>
 */
public record CameraMessage(String streamId, long pageSeq, double pageCaptureMs, long replaced, byte[] jpeg) {

    public static final int VERSION = 1;

    /** Parses a message; a malformed one is a {@link CameraRefusal}. */
    public static CameraMessage parse(ByteBuffer message) {
        ByteBuffer b = message.slice().order(ByteOrder.BIG_ENDIAN);
        if (b.remaining() < 2) {
            throw header("message of " + b.remaining() + " bytes has no header");
        }
        int version = Byte.toUnsignedInt(b.get());
        if (version != VERSION) {
            throw header("header version " + version + ", this viewer speaks " + VERSION);
        }
        int idLength = Byte.toUnsignedInt(b.get());
        if (idLength == 0 || idLength > StreamIds.MAX_LENGTH) {
            throw new CameraRefusal(CameraRefusal.BAD_STREAM_ID, "bad stream id: length " + idLength
                    + ", must be 1-" + StreamIds.MAX_LENGTH);
        }
        if (b.remaining() < idLength + 16) {
            throw header("header cut short");
        }
        byte[] id = new byte[idLength];
        b.get(id);
        String streamId = StreamIds.check(new String(id, StandardCharsets.US_ASCII));
        long seq = Integer.toUnsignedLong(b.getInt());
        double captureMs = b.getDouble();
        long replaced = Integer.toUnsignedLong(b.getInt());
        if (!Double.isFinite(captureMs) || captureMs < 0) {
            throw header("page capture time " + captureMs + " is not a time");
        }
        if (!b.hasRemaining()) {
            throw new CameraRefusal(CameraRefusal.BAD_JPEG, "frame " + seq + " has no JPEG after its header");
        }
        byte[] jpeg = new byte[b.remaining()];
        b.get(jpeg);
        return new CameraMessage(streamId, seq, captureMs, replaced, jpeg);
    }

    /** The header the page writes, for tests and tools. */
    public static ByteBuffer encode(String streamId, long pageSeq, double pageCaptureMs, long replaced, byte[] jpeg) {
        byte[] id = streamId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(2 + id.length + 16 + jpeg.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) VERSION).put((byte) id.length).put(id).putInt((int) pageSeq).putDouble(pageCaptureMs)
                .putInt((int) replaced).put(jpeg);
        return b.flip();
    }

    private static CameraRefusal header(String message) {
        return new CameraRefusal(CameraRefusal.BAD_HEADER, message);
    }
}
