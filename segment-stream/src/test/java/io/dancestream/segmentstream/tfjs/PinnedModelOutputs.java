package io.dancestream.segmentstream.tfjs;

import io.dancestream.segmentstream.model.PoseModelCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child-JVM main of {@link OneDnnParityIT}: runs every pinned model on the messi5 reference
 * input and writes each output as little-endian float32 to {@code OUT_DIR/MODEL.ALIAS.f32}.
 * It is a separate process because TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once per
 * process, and because a native crash must fail the test, not kill the test JVM.
 */
public final class PinnedModelOutputs {

    /** Model → the outputs compared (every output of the landmark models; the detector's one). */
    static final Map<String, List<String>> OUTPUTS = Map.of(
            "blazepose-lite", List.of("ld_3d", "activation_segmentation", "output_poseflag", "activation_heatmap", "world_3d"),
            "blazepose-full", List.of("ld_3d", "activation_segmentation", "output_poseflag", "activation_heatmap", "world_3d"),
            "blazepose-heavy", List.of("ld_3d", "activation_segmentation", "output_poseflag", "activation_heatmap", "world_3d"),
            "blazepose-detector", List.of("person"));

    private PinnedModelOutputs() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        float[] input = readReference("input_messi5_256.f32");
        PoseModelCache store = PoseModelCache.defaultCache();
        for (String name : List.of("blazepose-lite", "blazepose-full", "blazepose-heavy", "blazepose-detector")) {
            boolean detector = name.endsWith("detector");
            int size = detector ? 224 : 256;
            float[] data = detector ? centreCrop(input, 256, 224) : input;
            try (GraphModel model = GraphModel.load(store.modelJson(name), 2)) {
                Map<String, float[]> result = model.run(data, new long[] {1, size, size, 3}, OUTPUTS.get(name));
                for (Map.Entry<String, float[]> e : result.entrySet()) {
                    write(out.resolve(name + "." + e.getKey() + ".f32"), e.getValue());
                }
            }
            System.out.println("ran " + name);
        }
    }

    /** The real photo's 224² centre of the 256² input: the detector gets a person, not zeros. */
    private static float[] centreCrop(float[] rgb, int from, int to) {
        float[] c = new float[to * to * 3];
        int off = (from - to) / 2;
        for (int y = 0; y < to; y++) {
            System.arraycopy(rgb, ((y + off) * from + off) * 3, c, y * to * 3, to * 3);
        }
        return c;
    }

    static float[] readReference(String file) throws IOException {
        try (InputStream in = PinnedModelOutputs.class.getResourceAsStream("/reference/blazepose-full-messi5/" + file)) {
            if (in == null) {
                throw new IOException("test resource " + file + " is missing");
            }
            return floats(in.readAllBytes());
        }
    }

    static float[] read(Path file) throws IOException {
        return floats(Files.readAllBytes(file));
    }

    private static float[] floats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    private static void write(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }
}
