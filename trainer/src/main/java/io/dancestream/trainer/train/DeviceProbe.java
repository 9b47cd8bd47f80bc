package io.dancestream.trainer.train;

import io.dancestream.trainer.model.TrainingSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Finds out which device TensorFlow trains on: places one op on GPU:0 without soft placement;
 * if that fails (CPU native library, no GPU), training runs on the CPU and a warning says so.
 */
public final class DeviceProbe {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceProbe.class);

    private DeviceProbe() {
    }

    /** "GPU:0" or "CPU". */
    public static String detect() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            var sum = tf.math.add(tf.constant(1f), tf.constant(2f));
            try (Session s = new Session(g, TrainingSession.sessionConfig()); TFloat32 r = (TFloat32) s.runner().fetch(sum).run().get(0)) {
                LOG.info("training on GPU:0");
                return "GPU:0";
            }
        } catch (RuntimeException e) {
            LOG.warn("no usable GPU ({}); training on the CPU. Build with -Pgpu on a CUDA machine for GPU training.",
                    firstLine(e.getMessage()));
            return "CPU";
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown reason";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
