package io.dancestream.segmentstream.tfjs;

import io.dancestream.common.config.TensorFlowThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * A TF.js graph model running in TensorFlow Java: one float32 input, float32 outputs fetched by
 * signature alias. {@link #run} is thread-safe (TensorFlow sessions are); each call uses up to
 * {@code intraOpThreads} cores, on thread pools of this model's own.
 */
public final class GraphModel implements AutoCloseable {

    private final String name;
    private final Graph graph;
    private final Session session;
    private final String input;
    private final Map<String, String> outputs;

    private GraphModel(String name, TfjsGraphImporter.Imported imported, int intraOpThreads, Precision precision) {
        this.name = name;
        if (imported.inputs().size() != 1) {
            throw new TfjsImportException(name + " has " + imported.inputs().size() + " inputs; one is supported");
        }
        this.graph = new Graph();
        try {
            graph.importGraphDef(imported.graphDef());
        } catch (IllegalArgumentException e) {
            graph.close();
            throw new TfjsImportException("TensorFlow rejected the converted graph of " + name + ": " + e.getMessage(), e);
        }
        // this session's own pools (common's TensorFlowThreads): intra-op threads as asked, and an
        // inter-op thread per core so concurrent callers (stream threads) run at the same time
        ConfigProto.Builder builder = ConfigProto.newBuilder()
                .setUsePerSessionThreads(true)
                .setIntraOpParallelismThreads(Math.max(1, intraOpThreads))
                .setInterOpParallelismThreads(Runtime.getRuntime().availableProcessors());
        builder.getExperimentalBuilder().setDisableThreadSpinning(!TensorFlowThreads.spinning());
        ConfigProto config = precision.apply(builder).build();
        this.session = new Session(graph, config);
        this.input = imported.inputs().values().iterator().next();
        this.outputs = imported.outputs();
    }

    /** Loads and converts {@code model.json}; {@code intraOpThreads} cores per inference. */
    public static GraphModel load(Path modelJson, int intraOpThreads) {
        return load(modelJson, intraOpThreads, Precision.FP32);
    }

    /** Loads and converts {@code model.json} to run in the given arithmetic. */
    public static GraphModel load(Path modelJson, int intraOpThreads, Precision precision) {
        String fileName = modelJson.getFileName().toString();
        return new GraphModel(fileName.replaceFirst("\\.json$", ""), TfjsGraphImporter.load(modelJson), intraOpThreads,
                precision);
    }

    public String name() {
        return name;
    }

    /** Output aliases (e.g. "ld_3d", "activation_segmentation") to tensor names. */
    public Map<String, String> outputs() {
        return outputs;
    }

    /**
     * Runs the model on {@code data} (NHWC float32 of the given shape; a longer array, such as a
     * reused buffer, is read up to the shape's size) and returns the wanted outputs by alias,
     * flattened.
     */
    public Map<String, float[]> run(float[] data, long[] shape, List<String> aliases) {
        List<String> tensors = new ArrayList<>(aliases.size());
        for (String a : aliases) {
            String t = outputs.get(a);
            if (t == null) {
                throw new IllegalArgumentException(name + " has no output " + a + "; it has " + outputs.keySet());
            }
            tensors.add(t);
        }
        Shape inputShape = Shape.of(shape);
        try (TFloat32 in = TFloat32.tensorOf(inputShape, DataBuffers.of(data, true, false).narrow(inputShape.size()))) {
            Session.Runner runner = session.runner().feed(input, in);
            for (String t : tensors) {
                runner.fetch(t);
            }
            try (Result r = runner.run()) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (int i = 0; i < aliases.size(); i++) {
                    Tensor t = r.get(i);
                    float[] values = new float[Math.toIntExact(t.shape().size())];
                    ((TFloat32) t).asRawTensor().data().asFloats().read(values);
                    out.put(aliases.get(i), values);
                }
                return out;
            }
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
