package io.dancestream.segmentstream.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * The importer's Pad rewrite on the smallest graph of the shape that crashed BlazePose-heavy
 * under oneDNN (issue 17): a channel-padding Pad of a MaxPool added to a 1x1 VALID conv's output.
 */
class TfjsGraphImporterTest {

    /**
     * x [1,4,4,1] ─ MaxPool 2x2 ─ Pad channels 1→2 ─┐
     * y [1,2,2,2] ─ conv 1x1 VALID + bias ───────────┴─ AddV2 = "residual"
     * x ─ Pad H,W by 1 ─ conv 3x3 VALID ─ "spatial" (a Pad oneDNN may legitimately fold in)
     */
    private static final String MODEL = """
            {"format":"graph-model",
             "signature":{"inputs":{"x":{"name":"x:0"},"y":{"name":"y:0"}},
                          "outputs":{"residual":{"name":"residual:0"},"spatial":{"name":"spatial:0"}}},
             "modelTopology":{"node":[
              {"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"},
                "shape":{"shape":{"dim":[{"size":"1"},{"size":"4"},{"size":"4"},{"size":"1"}]}}}},
              {"name":"y","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"},
                "shape":{"shape":{"dim":[{"size":"1"},{"size":"2"},{"size":"2"},{"size":"2"}]}}}},
              {"name":"pool","op":"MaxPool","input":["x"],"attr":{"T":{"type":"DT_FLOAT"},
                "ksize":{"list":{"i":["1","2","2","1"]}},"strides":{"list":{"i":["1","2","2","1"]}},
                "padding":{"s":"VkFMSUQ="},"data_format":{"s":"TkhXQw=="}}},
              {"name":"channel_padding/paddings","op":"Const","attr":{"dtype":{"type":"DT_INT32"},"value":{"tensor":{
                "dtype":"DT_INT32","tensorShape":{"dim":[{"size":"4"},{"size":"2"}]},"intVal":[0,0,0,0,0,0,0,1]}}}},
              {"name":"channel_padding","op":"Pad","input":["pool","channel_padding/paddings"],
                "attr":{"T":{"type":"DT_FLOAT"},"Tpaddings":{"type":"DT_INT32"}}},
              {"name":"w1","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"},"value":{"tensor":{
                "dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"1"},{"size":"1"},{"size":"2"},{"size":"2"}]},
                "floatVal":[1,0,0,1]}}}},
              {"name":"b1","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"},"value":{"tensor":{
                "dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"2"}]},"floatVal":[10,20]}}}},
              {"name":"conv1","op":"_FusedConv2D","input":["y","w1","b1"],"attr":{"T":{"type":"DT_FLOAT"},
                "num_args":{"i":"1"},"fused_ops":{"list":{"s":["Qmlhc0FkZA=="]}},"strides":{"list":{"i":["1","1","1","1"]}},
                "padding":{"s":"VkFMSUQ="},"data_format":{"s":"TkhXQw=="},"dilations":{"list":{"i":["1","1","1","1"]}},
                "explicit_paddings":{"list":{}},"epsilon":{"f":0}}},
              {"name":"residual","op":"AddV2","input":["channel_padding","conv1"],"attr":{"T":{"type":"DT_FLOAT"}}},
              {"name":"spatial_padding/paddings","op":"Const","attr":{"dtype":{"type":"DT_INT32"},"value":{"tensor":{
                "dtype":"DT_INT32","tensorShape":{"dim":[{"size":"4"},{"size":"2"}]},"intVal":[0,0,1,1,1,1,0,0]}}}},
              {"name":"spatial_padding","op":"Pad","input":["x","spatial_padding/paddings"],
                "attr":{"T":{"type":"DT_FLOAT"},"Tpaddings":{"type":"DT_INT32"}}},
              {"name":"w3","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"},"value":{"tensor":{
                "dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"3"},{"size":"3"},{"size":"1"},{"size":"1"}]},
                "floatVal":[1,1,1,1,1,1,1,1,1]}}}},
              {"name":"spatial","op":"Conv2D","input":["spatial_padding","w3"],"attr":{"T":{"type":"DT_FLOAT"},
                "strides":{"list":{"i":["1","1","1","1"]}},"padding":{"s":"VkFMSUQ="},"data_format":{"s":"TkhXQw=="},
                "dilations":{"list":{"i":["1","1","1","1"]}},"explicit_paddings":{"list":{}}}}
             ]},
             "weightsManifest":[]}""";

    @Test
    void padFeedingAnAddBecomesPadV2AndPadFeedingAConvolutionStays(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, MODEL);
        TfjsGraphImporter.Imported imported = TfjsGraphImporter.load(json);
        Map<String, NodeDef> nodes = imported.graphDef().getNodeList().stream()
                .collect(Collectors.toMap(NodeDef::getName, n -> n));

        NodeDef residualPad = nodes.get("channel_padding");
        assertThat(residualPad.getOp()).isEqualTo("PadV2");
        assertThat(residualPad.getInputList()).containsExactly("pool", "channel_padding/paddings", "channel_padding/constant_values");
        NodeDef zero = nodes.get("channel_padding/constant_values");
        assertThat(zero.getOp()).isEqualTo("Const");
        assertThat(zero.getAttrOrThrow("value").getTensor().getFloatValList()).containsExactly(0f);
        assertThat(nodes.get("spatial_padding").getOp()).as("a convolution's input pad keeps its op").isEqualTo("Pad");
    }

    @Test
    void rewrittenGraphComputesWhatPadDoes(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, MODEL);
        // this graph is too small to crash the un-rewritten pass here (the crash is an out-of-bounds
        // write whose effect depends on the graph); OneDnnParityIT runs the real heavy model with
        // oneDNN forced on and off, and that fails without the rewrite
        try (GraphModelOfTwoInputs m = new GraphModelOfTwoInputs(TfjsGraphImporter.load(json))) {
            float[] x = new float[16];
            for (int i = 0; i < 16; i++) {
                x[i] = i;
            }
            float[] y = {1, 2, 3, 4, 5, 6, 7, 8};
            Map<String, float[]> out = m.run(x, y);
            // pool of the 4x4 ramp = 5, 7, 13, 15; channel 1 is padding (0); conv1 is identity + bias (10, 20)
            assertThat(out.get("residual")).containsExactly(5 + 1 + 10, 0 + 2 + 20, 7 + 3 + 10, 4 + 20, 13 + 5 + 10, 6 + 20,
                    15 + 7 + 10, 8 + 20);
            // 3x3 box sums over the zero-padded ramp, first row: 0+1+4+5, 0+1+2+4+5+6, ...
            assertThat(out.get("spatial")).startsWith(10f, 18f, 24f, 18f);
        }
    }

    /** A minimal session over the imported graph with the test model's two inputs. */
    private static final class GraphModelOfTwoInputs implements AutoCloseable {
        private final Graph graph = new Graph();
        private final Session session;

        GraphModelOfTwoInputs(TfjsGraphImporter.Imported imported) {
            graph.importGraphDef(imported.graphDef());
            session = new Session(graph);
        }

        Map<String, float[]> run(float[] x, float[] y) {
            try (var tx = TFloat32.tensorOf(Shape.of(1, 4, 4, 1),
                         DataBuffers.of(x, true, false));
                 var ty = TFloat32.tensorOf(Shape.of(1, 2, 2, 2),
                         DataBuffers.of(y, true, false));
                 var r = session.runner().feed("x", tx).feed("y", ty).fetch("residual").fetch("spatial").run()) {
                Map<String, float[]> out = new HashMap<>();
                List<String> names = List.of("residual", "spatial");
                for (int i = 0; i < 2; i++) {
                    var t = (TFloat32) r.get(i);
                    float[] v = new float[Math.toIntExact(t.shape().size())];
                    t.asRawTensor().data().asFloats().read(v);
                    out.put(names.get(i), v);
                }
                return out;
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }
}
