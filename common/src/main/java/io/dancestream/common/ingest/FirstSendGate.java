package io.dancestream.common.ingest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the acknowledgement of the first record sent to each topic and key before the
 * next goes out. A partition created moments ago can answer NOT_LEADER_OR_FOLLOWER; when
 * several batches of an idempotent producer are in flight then, the retries can arrive out of
 * order and the broker rejects them with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery times out
 * (seen on a loaded machine). One batch in flight until the first ack avoids that, for the
 * cost of one round trip per stream. Thread-safe: the viewer's camera sends from several
 * connections at once.
 */
public final class FirstSendGate {

    private final Set<String> acked = ConcurrentHashMap.newKeySet();

    /** Call after {@code send}: blocks on the future if it is the first for this topic and key. */
    public void await(String topic, String key, Future<?> sent) {
        if (!acked.add(topic + '\u0000' + key)) {
            return;
        }
        try {
            sent.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            // the send's callback reports the failure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
