package io.dancestream.viewer.camera;

import java.net.URI;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a WebSocket upgrade to {@code /camera} may happen: the camera must be on, and
 * a browser's {@code Origin} must be the page's own (the viewer's host and port as the browser
 * addressed it). WebSockets are not covered by the same-origin policy, so without this any site
 * open in the user's browser could write into the user's Kafka through a loopback viewer.
 * Clients that send no Origin (not browsers, so not hijackable) pass to the token check.
 */
public final class CameraUpgrade implements WebSocketCreator {

    private static final Logger LOG = LoggerFactory.getLogger(CameraUpgrade.class);

    private final CameraIngest ingest;

    public CameraUpgrade(CameraIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) {
        String remote = Request.getRemoteAddr(req);
        if (!ingest.settings().enabled()) {
            return refuse(req, resp, callback, CameraRefusal.DISABLED, ingest.settings().whyDisabled(), remote);
        }
        String origin = req.getHeaders().get(HttpHeader.ORIGIN);
        String host = req.getHeaders().get(HttpHeader.HOST);
        if (origin != null && !sameOrigin(origin, host)) {
            return refuse(req, resp, callback, CameraRefusal.ORIGIN, "origin " + origin
                    + " is not this page's (" + host + ")", remote);
        }
        return ingest.connect(remote);
    }

    private Object refuse(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback, String reason,
                          String why, String remote) {
        ingest.refused(reason);
        LOG.warn("camera connection from {} refused: {}", remote, why);
        Response.writeError(req, resp, callback, 403, why);
        return null;
    }

    /** True when the Origin's host and port are the Host header's (default ports filled in from the scheme). */
    static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            URI h = URI.create(o.getScheme() + "://" + hostHeader.strip());
            if (o.getHost() == null || h.getHost() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()) {
                return false;
            }
            return o.getHost().toLowerCase(Locale.ROOT).equals(h.getHost().toLowerCase(Locale.ROOT))
                    && port(o) == port(h);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
