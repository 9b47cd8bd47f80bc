package io.dancestream.trainer.model;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Convolution gradients in Java, with the formulas of TensorFlow's Python nn_grad.py. The C API
 * of TF 1.1 has no gradient for Conv2DBackpropFilter (needed when a gradient is differentiated
 * again, e.g. a gradient penalty); it does have one for Conv2DBackpropInput (the transposed
 * conv), so that registration is a fallback that TensorFlow ignores where the native one exists
 * (registerCustomGradient returns false).
 */
final class ConvGradients {

    private static boolean registered;

    private ConvGradients() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        // y = conv2d_transpose(x=out_backprop, filter): dfilter = backprop_filter(dy, x), dx = conv2d(dy, filter)
        TensorFlow.registerCustomGradient("Conv2DBackpropInput", (Ops tf, GraphOperation op, List<Output<?>> grads) -> {
            Operand<TFloat32> dy = cast(grads.get(0));
            Operand<TFloat32> filter = cast(op.input(1));
            Operand<TFloat32> x = cast(op.input(2));
            List<Long> strides = strides(op);
            String padding = op.attributes().getAttrString("padding");
            Operand<TFloat32> dFilter = tf.nn.conv2dBackpropFilter(dy, tf.shape(filter), x, strides, padding);
            Operand<TFloat32> dx = tf.nn.conv2d(dy, filter, strides, padding);
            return Arrays.asList(null, dFilter, dx);
        });
        // y = backprop_filter(input, filter_sizes, out_backprop)
        TensorFlow.registerCustomGradient("Conv2DBackpropFilter", (Ops tf, GraphOperation op, List<Output<?>> grads) -> {
            Operand<TFloat32> dy = cast(grads.get(0));
            Operand<TFloat32> input = cast(op.input(0));
            Operand<TFloat32> outBackprop = cast(op.input(2));
            List<Long> strides = strides(op);
            String padding = op.attributes().getAttrString("padding");
            Operand<TInt32> inputShape = tf.shape(input);
            Operand<TFloat32> dInput = tf.nn.conv2dBackpropInput(inputShape, dy, outBackprop, strides, padding);
            Operand<TFloat32> dOut = tf.nn.conv2d(input, dy, strides, padding);
            return Arrays.asList(dInput, null, dOut);
        });
        registered = true;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> cast(Output<?> o) {
        return (Operand<TFloat32>) o;
    }

    private static List<Long> strides(GraphOperation op) {
        long[] s = op.attributes().getAttrIntList("strides");
        return Arrays.stream(s).boxed().toList();
    }
}
