package io.dancestream.segmentstream.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Converts a TF.js graph model (model.json + weight shards) into a TensorFlow {@link GraphDef}:
 * the topology is already a GraphDef in proto3 JSON; the Const nodes get their values from the
 * dequantized weights; TF.js-only fused ops are unfused into ops TensorFlow has kernels for
 * (TensorFlow's own grappler fuses them again at run time).
 */
public final class TfjsGraphImporter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Activations TF.js fuses into convolutions, by their TF op names. */
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "LeakyRelu");
    private static final List<String> CONV_ATTRS = List.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations");

    private TfjsGraphImporter() {
    }

    /** A converted model: the graph and its signature (alias → tensor name like "Identity_1:0"). */
    public record Imported(GraphDef graphDef, Map<String, String> inputs, Map<String, String> outputs) {
    }

    public static Imported load(Path modelJson) {
        JsonNode root;
        try {
            root = JSON.readTree(modelJson.toFile());
        } catch (IOException e) {
            throw new TfjsImportException("cannot read TF.js model " + modelJson + ": " + e.getMessage(), e);
        }
        if (!"graph-model".equals(root.path("format").asText())) {
            throw new TfjsImportException(modelJson + " is not a TF.js graph model (format " + root.path("format") + ")");
        }
        GraphDef.Builder graph = GraphDef.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(root.path("modelTopology").toString(), graph);
        } catch (InvalidProtocolBufferException e) {
            throw new TfjsImportException("the topology in " + modelJson + " is not a GraphDef: " + e.getMessage(), e);
        }
        fillWeights(graph, root.path("weightsManifest"), modelJson.getParent(), modelJson);
        GraphDef rewritten = padsOutsideConvolutionsAsPadV2(rewriteFusedOps(graph.build(), modelJson));
        return new Imported(rewritten, signature(root.path("signature").path("inputs")),
                signature(root.path("signature").path("outputs")));
    }

    private static Map<String, String> signature(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().path("name").asText()));
        return m;
    }

    /** Reads the shards in manifest order and puts each weight into its Const node. */
    private static void fillWeights(GraphDef.Builder graph, JsonNode manifest, Path dir, Path modelJson) {
        Map<String, Integer> constIndex = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            constIndex.put(graph.getNode(i).getName(), i);
        }
        for (JsonNode group : manifest) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                Path shard = dir.resolve(p.asText());
                try {
                    all.write(Files.readAllBytes(shard));
                } catch (IOException e) {
                    throw new TfjsImportException("cannot read weight shard " + shard + " of " + modelJson, e);
                }
            }
            ByteBuffer bytes = ByteBuffer.wrap(all.toByteArray());
            int offset = 0;
            for (JsonNode spec : group.path("weights")) {
                String name = spec.path("name").asText();
                TfjsWeights.Decoded d = TfjsWeights.decode(spec, bytes, offset);
                offset += d.bytesUsed();
                if (offset > bytes.capacity()) {
                    throw new TfjsImportException("weight shards of " + modelJson + " end inside weight " + name);
                }
                Integer idx = constIndex.get(name);
                if (idx == null) {
                    throw new TfjsImportException("weight " + name + " of " + modelJson + " has no Const node");
                }
                NodeDef.Builder n = graph.getNodeBuilder(idx);
                n.putAttr("value", AttrValue.newBuilder().setTensor(d.tensor()).build());
                n.putAttr("dtype", AttrValue.newBuilder().setType(d.tensor().getDtype()).build());
            }
        }
    }

    private static GraphDef rewriteFusedOps(GraphDef in, Path modelJson) {
        Set<String> known = registeredOps();
        GraphDef.Builder out = in.toBuilder().clearNode();
        for (NodeDef n : in.getNodeList()) {
            switch (n.getOp()) {
                case "_FusedConv2D" -> unfuse(n, "Conv2D", List.of("use_cudnn_on_gpu"), out, modelJson);
                case "FusedDepthwiseConv2dNative" -> unfuse(n, "DepthwiseConv2dNative", List.of(), out, modelJson);
                default -> {
                    if (!known.contains(n.getOp())) {
                        throw new TfjsImportException("unsupported op " + n.getOp() + " (node " + n.getName() + ") in " + modelJson
                                + ": TensorFlow has no such op and the importer has no rewrite for it");
                    }
                    out.addNode(n.toBuilder().clearDevice());
                }
            }
        }
        return out.build();
    }

    /** Ops whose input 0 is the data a spatial Pad may be folded into (oneDNN's Pad+Conv merge). */
    private static final Set<String> CONVOLUTIONS = Set.of("Conv2D", "DepthwiseConv2dNative");

    /**
     * Turns every {@code Pad} whose output goes anywhere but a convolution's data input into the
     * equivalent {@code PadV2} with constant 0.
     *
     * <p>Why: oneDNN's layout pass (on by default on AVX-512 VNNI/BF16 CPUs) merges a {@code Pad}
     * into a {@code _FusedConv2D} it feeds without checking which input it feeds. Grappler's
     * remapper first fuses {@code Conv2D + BiasAdd + AddV2} into {@code _FusedConv2D[BiasAdd, Add]},
     * so a channel-padding {@code Pad} on a residual branch (BlazePose-heavy's
     * {@code channel_padding*}) becomes the fused node's addend; the pass then folds it in as if it
     * padded the conv's input, builds a node with the wrong inputs and the process dies with SIGSEGV
     * in {@code MklLayoutRewritePass::RewriteNodeForJustOpNameChange}. The pass merges only
     * {@code Pad}, never {@code PadV2}, and {@code PadV2} with 0 computes the same tensor; pads that
     * feed a convolution's input keep the op, so the legitimate merge still happens.
     */
    static GraphDef padsOutsideConvolutionsAsPadV2(GraphDef in) {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef n : in.getNodeList()) {
            byName.put(n.getName(), n);
        }
        Set<String> padsToRewrite = new HashSet<>();
        for (NodeDef consumer : in.getNodeList()) {
            for (int i = 0; i < consumer.getInputCount(); i++) {
                String source = consumer.getInput(i);
                if (source.startsWith("^")) {
                    continue;
                }
                String sourceNode = source.replaceFirst(":\\d+$", "");
                NodeDef producer = byName.get(sourceNode);
                boolean convolutionData = i == 0 && CONVOLUTIONS.contains(consumer.getOp());
                if (producer != null && producer.getOp().equals("Pad") && !convolutionData) {
                    padsToRewrite.add(sourceNode);
                }
            }
        }
        if (padsToRewrite.isEmpty()) {
            return in;
        }
        GraphDef.Builder out = in.toBuilder().clearNode();
        for (NodeDef n : in.getNodeList()) {
            if (!padsToRewrite.contains(n.getName())) {
                out.addNode(n);
                continue;
            }
            DataType type = n.getAttrOrThrow("T").getType();
            String zero = n.getName() + "/constant_values";
            out.addNode(NodeDef.newBuilder().setName(zero).setOp("Const")
                    .putAttr("dtype", AttrValue.newBuilder().setType(type).build())
                    .putAttr("value", AttrValue.newBuilder().setTensor(zeroScalar(type)).build()));
            out.addNode(n.toBuilder().setOp("PadV2").clearInput()
                    .addInput(n.getInput(0)).addInput(n.getInput(1)).addInput(zero));
        }
        return out.build();
    }

    private static TensorProto zeroScalar(DataType type) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(type).setTensorShape(TensorShapeProto.getDefaultInstance());
        switch (type) {
            case DT_FLOAT -> t.addFloatVal(0f);
            case DT_INT32 -> t.addIntVal(0);
            default -> throw new TfjsImportException("Pad of " + type + " outside a convolution: no PadV2 rewrite for that type");
        }
        return t.build();
    }

    /** conv(x, w) [+ BiasAdd(b)] [+ activation], the last node keeping the fused node's name. */
    private static void unfuse(NodeDef n, String convOp, List<String> extraAttrs, GraphDef.Builder out, Path modelJson) {
        List<String> fused = n.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList().getSList()
                .stream().map(b -> b.toStringUtf8()).toList();
        boolean bias = !fused.isEmpty() && fused.get(0).equals("BiasAdd");
        List<String> acts = fused.subList(bias ? 1 : 0, fused.size());
        if (acts.size() > 1 || (acts.size() == 1 && !ACTIVATIONS.contains(acts.get(0)))) {
            throw new TfjsImportException("unsupported op " + n.getOp() + " with fused_ops " + fused + " (node " + n.getName()
                    + ") in " + modelJson + ": only BiasAdd followed by one of " + ACTIVATIONS + " is unfused");
        }
        if (bias && n.getInputCount() < 3) {
            throw new TfjsImportException("node " + n.getName() + " fuses BiasAdd but has no bias input in " + modelJson);
        }
        String act = acts.isEmpty() ? null : acts.get(0);
        String convName = bias || act != null ? n.getName() + "/unfused_conv" : n.getName();
        NodeDef.Builder conv = NodeDef.newBuilder().setName(convName).setOp(convOp)
                .addInput(n.getInput(0)).addInput(n.getInput(1));
        for (String a : CONV_ATTRS) {
            if (n.containsAttr(a)) {
                conv.putAttr(a, n.getAttrOrThrow(a));
            }
        }
        for (String a : extraAttrs) {
            if (n.containsAttr(a)) {
                conv.putAttr(a, n.getAttrOrThrow(a));
            }
        }
        if (!"EXPLICIT".equals(n.getAttrOrDefault("padding", AttrValue.getDefaultInstance()).getS().toStringUtf8())) {
            conv.removeAttr("explicit_paddings");
        }
        out.addNode(conv);
        String last = convName;
        AttrValue t = n.getAttrOrThrow("T");
        if (bias) {
            String biasName = act != null ? n.getName() + "/unfused_bias" : n.getName();
            NodeDef.Builder b = NodeDef.newBuilder().setName(biasName).setOp("BiasAdd").addInput(last).addInput(n.getInput(2))
                    .putAttr("T", t);
            if (n.containsAttr("data_format")) {
                b.putAttr("data_format", n.getAttrOrThrow("data_format"));
            }
            out.addNode(b);
            last = biasName;
        }
        if (act != null) {
            NodeDef.Builder a = NodeDef.newBuilder().setName(n.getName()).setOp(act).addInput(last).putAttr("T", t);
            if (act.equals("LeakyRelu") && n.containsAttr("leakyrelu_alpha")) {
                a.putAttr("alpha", n.getAttrOrThrow("leakyrelu_alpha"));
            }
            out.addNode(a);
        }
    }

    private static Set<String> registeredOps() {
        Set<String> ops = new HashSet<>();
        for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
            ops.add(op.getName());
        }
        return ops;
    }
}
