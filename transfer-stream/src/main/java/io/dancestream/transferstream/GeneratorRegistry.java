package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generators in service and the hot swap between them. A published ModelVersion is loaded,
 * verified and warmed up on the loader executor (in the background, so frames keep flowing);
 * only then is it switched in, atomically: a frame renders wholly with the old model or wholly
 * with the new one. A model that fails is rejected — queued for the DLQ, counted — and the old
 * one keeps serving.
 */
final class GeneratorRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorRegistry.class);

    private final Executor loader;
    private final ModelSelection selection;
    private final Listener listener;
    private final ModelProbe probe;
    private final Map<String, GeneratorModel> byName = new ConcurrentHashMap<>();
    private final AtomicReference<GeneratorModel> latest = new AtomicReference<>();
    /** name → "version/sha256" of the last offer, so a replayed record is not loaded twice. */
    private final Map<String, String> offered = new ConcurrentHashMap<>();
    private final Queue<Rejection> rejections = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** What the registry reports (metrics, logs); called on the loader thread. */
    interface Listener {
        void activated(GeneratorModel model);

        void rejected(ModelVersion model, String reason);
    }

    /** A rejected model with where its record came from, for the DLQ. */
    record Rejection(ModelVersion model, byte[] originalValue, String key, RecordSource source, Exception error) {
    }

    private final int threads;

    /** @param probe the child-JVM probe each new model must pass first, or null for none */
    GeneratorRegistry(Executor loader, ModelSelection selection, Listener listener, ModelProbe probe) {
        this(loader, selection, listener, probe, 0);
    }

    /** @param threads TensorFlow threads each loaded generator runs on, 0: all cores */
    GeneratorRegistry(Executor loader, ModelSelection selection, Listener listener, ModelProbe probe, int threads) {
        this.threads = threads;
        this.loader = loader;
        this.selection = selection;
        this.listener = listener;
        this.probe = probe;
    }

    /** Offers a published model; loading happens on the loader executor. */
    void offer(ModelVersion mv, String key, byte[] originalValue, RecordSource source) {
        String id = mv.getVersion() + "/" + mv.getSha256();
        if (id.equals(offered.put(mv.getName(), id))) {
            return;
        }
        loader.execute(() -> load(mv, key, originalValue, source));
    }

    private void load(ModelVersion mv, String key, byte[] originalValue, RecordSource source) {
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        GeneratorModel model;
        try {
            model = ModelLoader.loadVerified(mv, probe, threads);
        } catch (RuntimeException e) {
            LOG.warn("{}; the current generator keeps serving", e.getMessage());
            rejections.add(new Rejection(mv, originalValue, key, source, e));
            listener.rejected(mv, e.getMessage());
            return;
        }
        GeneratorModel oldOfName = byName.put(mv.getName(), model);
        GeneratorModel oldLatest = latest.getAndSet(model);
        LOG.info("generator {} (input {}x{}) now serving (verified and loaded in {} ms{})", model.label(), model.inputSize(),
                model.inputSize(), (System.nanoTime() - t0) / 1_000_000, probe == null ? ", no probe JVM" : "");
        listener.activated(model);
        retire(oldOfName);
        if (oldLatest != oldOfName) {
            retire(oldLatest);
        }
    }

    private void retire(GeneratorModel old) {
        // byName and latest each hold one reference; the model closes when neither does and no
        // frame is rendering with it
        if (old != null && !byName.containsValue(old) && latest.get() != old) {
            old.release();
        }
    }

    /**
     * The generator for a stream, retained for the caller (who must {@link GeneratorModel#release}),
     * or null when none exists yet.
     */
    GeneratorModel acquire(String streamId) {
        String pinned = selection.pinned(streamId);
        for (int attempt = 0; attempt < 3; attempt++) {
            GeneratorModel m = pinned == null ? latest.get() : byName.get(pinned);
            if (m == null) {
                return null;
            }
            if (m.retain()) {
                return m;
            }
            // closed between read and retain: a swap just happened, read again
        }
        return null;
    }

    /** A models record that is not even a ModelVersion: straight to the DLQ queue. */
    void reject(String key, byte[] originalValue, RecordSource source, RuntimeException error) {
        rejections.add(new Rejection(null, originalValue, key, source, error));
        listener.rejected(null, error.getMessage());
    }

    /** Rejections not yet written to the DLQ. */
    List<Rejection> drainRejections() {
        List<Rejection> out = new ArrayList<>();
        for (Rejection r; (r = rejections.poll()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        GeneratorModel l = latest.getAndSet(null);
        List<GeneratorModel> named = new ArrayList<>(byName.values());
        byName.clear();
        java.util.Set<GeneratorModel> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (l != null) {
            all.add(l);
        }
        all.addAll(named);
        all.forEach(GeneratorModel::release);
    }
}
