package io.dancestream.trainer;

import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * Runs the pix2pix graph: one step = a discriminator update, then a generator update on the
 * same batch with the same dropout masks (pix2pix's alternation). The dropout masks depend only
 * on (seed, step), so a run restored from a checkpoint continues exactly as the uninterrupted
 * one.
 */
public final class TrainingSession implements AutoCloseable {

    private static final float TRAIN_DROP_RATE = 0.5f;

    private final Graph graph;
    private final Pix2PixGraph model;
    private final Session session;
    private final long seed;

    public TrainingSession(ModelConfig config, long seed) {
        this(config, seed, Pix2PixGraph.LEARNING_RATE);
    }

    public TrainingSession(ModelConfig config, long seed, float learningRate) {
        this.seed = seed;
        this.graph = new Graph();
        this.model = new Pix2PixGraph(graph, config, seed, learningRate);
        this.session = new Session(graph);
        session.initialize();
    }

    public ModelConfig config() {
        return model.config;
    }

    Pix2PixGraph model() {
        return model;
    }

    Session session() {
        return session;
    }

    /** One D update then one G update; returns the losses computed before each update. */
    public StepLosses step(long step, Batch batch) {
        try (TUint8 ids = classIds(batch); TFloat32 real = rgb(batch);
             TInt64 stepSeed = TInt64.vectorOf(seed, step); TFloat32 rate = TFloat32.scalarOf(TRAIN_DROP_RATE)) {
            float d;
            try (Result r = session.runner()
                    .feed(model.classIds, ids).feed(model.real, real).feed(model.stepSeed, stepSeed).feed(model.dropRate, rate)
                    .addTarget(model.trainD).fetch(model.lossD).run()) {
                d = ((TFloat32) r.get(0)).getFloat();
            }
            try (Result r = session.runner()
                    .feed(model.classIds, ids).feed(model.real, real).feed(model.stepSeed, stepSeed).feed(model.dropRate, rate)
                    .addTarget(model.trainG).fetch(model.lossG).fetch(model.lossGan).fetch(model.lossL1).run()) {
                return new StepLosses(step, d, ((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
                        ((TFloat32) r.get(2)).getFloat());
            }
        }
    }

    /** Generator output in [-1,1], [n,s,s,3], dropout off (as served). */
    public float[] generate(byte[] classIds, int n) {
        int s = model.config.size();
        try (TUint8 ids = TUint8.tensorOf(Shape.of(n, s, s), DataBuffers.of(classIds, true, false));
             TInt64 stepSeed = TInt64.vectorOf(seed, 0);
             Result r = session.runner().feed(model.classIds, ids).feed(model.stepSeed, stepSeed).fetch(model.fake).run()) {
            TFloat32 out = (TFloat32) r.get(0);
            float[] f = new float[n * s * s * 3];
            out.asRawTensor().data().asFloats().read(f);
            return f;
        }
    }

    /** Writes every variable (both networks and both optimizers' slots) under a checkpoint prefix. */
    public void save(Path prefix) {
        session.save(prefix.toString());
    }

    public void restore(Path prefix) {
        session.restore(prefix.toString());
    }

    static TUint8 classIds(Batch b) {
        return TUint8.tensorOf(Shape.of(b.n(), b.size(), b.size()), DataBuffers.of(b.classIds(), true, false));
    }

    static TFloat32 rgb(Batch b) {
        return TFloat32.tensorOf(Shape.of(b.n(), b.size(), b.size(), 3), DataBuffers.of(b.rgb(), true, false));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

    @SuppressWarnings("unused")
    private static void keep(Tensor t) {
    }
}
