package io.dancestream.bench.path;

import io.dancestream.common.config.TensorFlowThreads;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Makes this JVM's TensorFlow thread pools before any model is loaded. TensorFlow builds its
 * intra-op and inter-op pools once per process, from the first session's options, and every later
 * session runs on them (docs/profile-realtime.md §6). The bench path runs the segmenter, the model
 * export and the generator in one JVM; without this, whichever session came first would size the
 * pools for all of them (a segmenter's single inter-op thread then serializes the two stages'
 * inferences).
 */
final class TensorFlowPools {

    private TensorFlowPools() {
    }

    /** Pools of {@code threads} intra-op and inter-op threads, spinning as {@link TensorFlowThreads} says. */
    static String make(int threads) {
        ConfigProto.Builder config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads);
        config.getExperimentalBuilder().setDisableThreadSpinning(!TensorFlowThreads.spinning());
        try (Graph g = new Graph(); Session s = new Session(g, config.build())) {
            Ops tf = Ops.create(g);
            try (Result r = s.runner().fetch(tf.constant(1f)).run()) {
                // one run, so the pools exist before the first model's session
            }
        }
        return threads + " intra-op + " + threads + " inter-op threads for every model in this process, spinning "
                + (TensorFlowThreads.spinning() ? "on" : "off") + " (" + TensorFlowThreads.SPINNING_ENV + ")";
    }
}
