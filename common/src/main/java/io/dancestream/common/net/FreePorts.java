package io.dancestream.common.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free TCP port on the loopback interface, for the embedded broker, Prometheus and tests. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port the OS reports free on 127.0.0.1 right now. Another process can still take it before
     * the caller binds; callers that bind at once (the broker, a child JVM) accept that small race.
     */
    public static int pick() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
