package io.dancestream.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The controller quorum of a KRaft cluster in Kafka's {@code controller.quorum.voters} form:
 * {@code 1@127.0.0.1:19093,2@127.0.0.1:19094,3@127.0.0.1:19095} (node id @ host : controller port).
 */
public record ControllerQuorum(List<Voter> voters) {

    /** One controller: its node id and controller listener. */
    public record Voter(int nodeId, String host, int port) {
        @Override
        public String toString() {
            return nodeId + "@" + host + ":" + port;
        }
    }

    public ControllerQuorum {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a controller quorum needs at least one voter");
        }
        if (voters.stream().map(Voter::nodeId).distinct().count() != voters.size()) {
            throw new IllegalArgumentException("node ids of a controller quorum must differ: " + voters);
        }
        voters = List.copyOf(voters);
    }

    /** Parses {@code id@host:port,...}; a clear error on anything else. */
    public static ControllerQuorum parse(String text) {
        List<Voter> v = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.strip();
            int at = e.indexOf('@');
            int colon = e.lastIndexOf(':');
            try {
                if (at < 1 || colon < at + 2) {
                    throw new NumberFormatException();
                }
                v.add(new Voter(Integer.parseInt(e.substring(0, at)), e.substring(at + 1, colon),
                        Integer.parseInt(e.substring(colon + 1))));
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("controller quorum entry '" + e + "' is not NODE_ID@HOST:PORT "
                        + "(e.g. 1@127.0.0.1:19093,2@127.0.0.1:19094,3@127.0.0.1:19095)");
            }
        }
        return new ControllerQuorum(v);
    }

    /** {@code n} local nodes 1..n with controller ports {@code firstPort}, {@code firstPort + 1}, .... */
    public static ControllerQuorum local(int n, int firstPort) {
        List<Voter> v = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            v.add(new Voter(i, "127.0.0.1", firstPort + i - 1));
        }
        return new ControllerQuorum(v);
    }

    public Voter voter(int nodeId) {
        return voters.stream().filter(v -> v.nodeId() == nodeId).findFirst().orElse(null);
    }

    public int size() {
        return voters.size();
    }

    /** The cluster id every node of this quorum formats its storage with: derived, so all agree. */
    public String clusterId() {
        UUID u = UUID.nameUUIDFromBytes(("dancestream:" + this).getBytes(StandardCharsets.UTF_8));
        return new Uuid(u.getMostSignificantBits(), u.getLeastSignificantBits()).toString();
    }

    @Override
    public String toString() {
        return voters.stream().map(Voter::toString).collect(Collectors.joining(","));
    }
}
