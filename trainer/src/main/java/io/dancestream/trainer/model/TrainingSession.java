package io.dancestream.trainer.model;

import io.dancestream.common.config.TensorFlowThreads;
import io.dancestream.trainer.data.Batch;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
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
        this.session = new Session(graph, sessionConfig());
        session.initialize();
    }

    /**
     * The configuration of every session the trainer makes: pools of its own (common's
     * TensorFlowThreads), all cores, since a training step's large convolutions do use them.
     */
    public static ConfigProto sessionConfig() {
        ConfigProto.Builder c = ConfigProto.newBuilder().setUsePerSessionThreads(true);
        c.getExperimentalBuilder().setDisableThreadSpinning(!TensorFlowThreads.spinning());
        return c.build();
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

    /**
     * One D update then one G update; returns the losses computed before each update. A temporal
     * model needs a pair batch ({@link Batch#previous()}).
     */
    public StepLosses step(long step, Batch batch) {
        if (model.config.temporal() != (batch.previous() != null)) {
            throw new IllegalArgumentException(model.config.temporal()
                    ? "a temporal model trains on pair batches (Augment.samplePairs)" : "a single-frame model takes no previous frames");
        }
        try (TUint8 ids = classIds(batch); TFloat32 real = rgb(batch);
             TInt64 stepSeed = TInt64.vectorOf(seed, step); TFloat32 rate = TFloat32.scalarOf(TRAIN_DROP_RATE);
             TUint8 prevIds = batch.previous() == null ? null : classIds(batch.previous());
             TFloat32 prevReal = batch.previous() == null ? null : rgb(batch.previous());
             TFloat32 boxes = batch.previous() == null ? null
                     : TFloat32.tensorOf(Shape.of(batch.n(), 4), DataBuffers.of(batch.reprojection(), true, false))) {
            float d;
            try (Result r = feed(session.runner(), ids, real, stepSeed, rate, prevIds, prevReal, boxes)
                    .addTarget(model.trainD).fetch(model.lossD).run()) {
                d = ((TFloat32) r.get(0)).getFloat();
            }
            try (Result r = feed(session.runner(), ids, real, stepSeed, rate, prevIds, prevReal, boxes)
                    .addTarget(model.trainG).fetch(model.lossG).fetch(model.lossGan).fetch(model.lossL1).run()) {
                return new StepLosses(step, d, ((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
                        ((TFloat32) r.get(2)).getFloat());
            }
        }
    }

    private Session.Runner feed(Session.Runner runner, TUint8 ids, TFloat32 real, TInt64 stepSeed, TFloat32 rate,
                                TUint8 prevIds, TFloat32 prevReal, TFloat32 boxes) {
        runner.feed(model.classIds, ids).feed(model.real, real).feed(model.stepSeed, stepSeed).feed(model.dropRate, rate);
        if (prevIds != null) {
            runner.feed(model.previousClassIds, prevIds).feed(model.previousReal, prevReal).feed(model.reprojection, boxes);
        }
        return runner;
    }

    /** Generator output in [-1,1], [n,s,s,3], dropout off (as served); a temporal model sees no previous frame. */
    public float[] generate(byte[] classIds, int n) {
        return generate(classIds, null, n);
    }

    /**
     * As served: a temporal model is conditioned on {@code previous} (uint8 RGB [n,s,s,3], already
     * re-projected into these crops; null or 0 = no previous frame), a single-frame model ignores it.
     */
    public float[] generate(byte[] classIds, byte[] previous, int n) {
        int s = model.config.size();
        byte[] prev = previous != null ? previous : new byte[n * s * s * 3];
        try (TUint8 ids = TUint8.tensorOf(Shape.of(n, s, s), DataBuffers.of(classIds, true, false));
             TInt64 stepSeed = TInt64.vectorOf(seed, 0);
             TUint8 prevRgb = TUint8.tensorOf(Shape.of(n, s, s, 3), DataBuffers.of(prev, true, false))) {
            Session.Runner runner = session.runner().feed(model.classIds, ids).feed(model.stepSeed, stepSeed);
            if (model.config.temporal()) {
                runner.feed(model.servedPrevious, prevRgb);
            }
            try (Result r = runner.fetch(model.served).run()) {
                TFloat32 out = (TFloat32) r.get(0);
                float[] f = new float[n * s * s * 3];
                out.asRawTensor().data().asFloats().read(f);
                return f;
            }
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
