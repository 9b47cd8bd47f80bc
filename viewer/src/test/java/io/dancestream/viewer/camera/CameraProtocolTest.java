package io.dancestream.viewer.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The camera's message header, stream ids, Origin matching and rate limit, without a server. */
class CameraProtocolTest {

    @Test
    void aMessageRoundTrips() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        CameraMessage m = CameraMessage.parse(CameraMessage.encode("cam-1.a_B", 4_000_000_000L, 1.7e12 + 0.25, 7, jpeg));
        assertThat(m.streamId()).isEqualTo("cam-1.a_B");
        assertThat(m.pageSeq()).isEqualTo(4_000_000_000L);
        assertThat(m.pageCaptureMs()).isEqualTo(1.7e12 + 0.25);
        assertThat(m.replaced()).isEqualTo(7);
        assertThat(m.jpeg()).isEqualTo(jpeg);
    }

    @Test
    void badHeadersAreRefusedWithTheirReason() {
        byte[] jpeg = {1};
        assertReason(ByteBuffer.wrap(new byte[] {1}), CameraRefusal.BAD_HEADER);
        assertReason(ByteBuffer.wrap(new byte[] {2, 1, 'a'}), CameraRefusal.BAD_HEADER);
        assertReason(ByteBuffer.wrap(new byte[] {1, 0}), CameraRefusal.BAD_STREAM_ID);
        assertReason(ByteBuffer.wrap(new byte[] {1, 65}), CameraRefusal.BAD_STREAM_ID);
        assertReason(ByteBuffer.wrap(new byte[] {1, 3, 'a', 'b', 'c', 0, 0}), CameraRefusal.BAD_HEADER);
        assertReason(CameraMessage.encode("a/b", 0, 1, 0, jpeg), CameraRefusal.BAD_STREAM_ID);
        assertReason(CameraMessage.encode("caf\u00e9".replace('\u00e9', '?'), 0, 1, 0, jpeg), CameraRefusal.BAD_STREAM_ID);
        assertReason(CameraMessage.encode("cam", 0, Double.NaN, 0, jpeg), CameraRefusal.BAD_HEADER);
        assertReason(CameraMessage.encode("cam", 0, 1, 0, new byte[0]), CameraRefusal.BAD_JPEG);
        assertThat(StreamIds.check("x".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> StreamIds.check("x".repeat(65))).isInstanceOf(CameraRefusal.class);
        assertThatThrownBy(() -> StreamIds.check("")).isInstanceOf(CameraRefusal.class);
    }

    private static void assertReason(ByteBuffer message, String reason) {
        assertThatThrownBy(() -> CameraMessage.parse(message)).isInstanceOfSatisfying(CameraRefusal.class,
                r -> assertThat(r.reason()).isEqualTo(reason));
    }

    @Test
    void anOriginMatchesOnlyThePagesOwnHost() {
        assertThat(CameraUpgrade.sameOrigin("http://127.0.0.1:8090", "127.0.0.1:8090")).isTrue();
        assertThat(CameraUpgrade.sameOrigin("http://LOCALHOST:8090", "localhost:8090")).isTrue();
        assertThat(CameraUpgrade.sameOrigin("https://viewer.example.org", "viewer.example.org")).isTrue();
        assertThat(CameraUpgrade.sameOrigin("https://viewer.example.org", "viewer.example.org:443")).isTrue();
        assertThat(CameraUpgrade.sameOrigin("http://[::1]:8090", "[::1]:8090")).isTrue();
        assertThat(CameraUpgrade.sameOrigin("http://evil.example", "127.0.0.1:8090")).isFalse();
        assertThat(CameraUpgrade.sameOrigin("http://127.0.0.1:9999", "127.0.0.1:8090")).isFalse();
        assertThat(CameraUpgrade.sameOrigin("https://viewer.example.org", "viewer.example.org:80")).isFalse();
        assertThat(CameraUpgrade.sameOrigin("null", "127.0.0.1:8090")).isFalse();
        assertThat(CameraUpgrade.sameOrigin("http://127.0.0.1:8090", null)).isFalse();
        assertThat(CameraUpgrade.sameOrigin("http://127.0.0.1:8090/x", "127.0.0.1:8090")).isFalse();
    }

    @Test
    void theRateLimitAllowsASecondsBurstThenItsRate() {
        AtomicLong nanos = new AtomicLong();
        RateLimit rate = new RateLimit(10, nanos::get);
        int taken = 0;
        for (int i = 0; i < 20; i++) {
            taken += rate.tryTake() ? 1 : 0;
        }
        assertThat(taken).isEqualTo(10);
        nanos.addAndGet(100_000_000L); // 0.1 s: one more frame
        assertThat(rate.tryTake()).isTrue();
        assertThat(rate.tryTake()).isFalse();
    }

    @Test
    void aNonLoopbackBindWithoutATokenTurnsTheCameraOff() {
        assertThat(CameraSettings.forBind("127.0.0.1", null, null, 1 << 20, 30).enabled()).isTrue();
        assertThat(CameraSettings.forBind("localhost", null, null, 1 << 20, 30).enabled()).isTrue();
        CameraSettings off = CameraSettings.forBind("0.0.0.0", null, "  ", 1 << 20, 30);
        assertThat(off.enabled()).isFalse();
        assertThat(off.whyDisabled()).contains("0.0.0.0", CameraSettings.TOKEN_ENV);
        assertThat(CameraSettings.forBind("0.0.0.0", null, "0123456789abcdef", 1 << 20, 30).token())
                .isEqualTo("0123456789abcdef");
        assertThatThrownBy(() -> CameraSettings.forBind("0.0.0.0", null, "short", 1 << 20, 30))
                .hasMessageContaining("16 characters");
    }
}
