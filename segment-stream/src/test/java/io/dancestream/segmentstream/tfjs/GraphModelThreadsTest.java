package io.dancestream.segmentstream.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model runs on thread pools of its own. TensorFlow's default is one pair of pools per
 * process, sized by the first session, with later sessions' thread counts ignored: a second model
 * then started no thread at all (docs/profile-realtime.md §6–7).
 */
class GraphModelThreadsTest {

    private static final String MODEL = """
            {"format":"graph-model",
             "signature":{"inputs":{"x":{"name":"x:0"}},"outputs":{"y":{"name":"y:0"}}},
             "modelTopology":{"node":[
              {"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"},
                "shape":{"shape":{"dim":[{"size":"1"},{"size":"16"},{"size":"16"},{"size":"1"}]}}}},
              {"name":"y","op":"Relu","input":["x"],"attr":{"T":{"type":"DT_FLOAT"}}}
             ]},
             "weightsManifest":[]}""";

    @Test
    void aSecondModelStartsItsOwnThreadsAndTakesThemAlongWhenClosed(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("relu.json");
        Files.writeString(json, MODEL);
        float[] in = new float[16 * 16];
        in[3] = -2f;
        in[4] = 5f;
        try (GraphModel first = GraphModel.load(json, 1)) {
            float[] out = first.run(in, new long[] {1, 16, 16, 1}, List.of("y")).get("y");
            assertThat(out[3]).isZero();
            assertThat(out[4]).isEqualTo(5f);
            int withFirst = threads();
            int withSecond;
            try (GraphModel second = GraphModel.load(json, 2)) {
                second.run(in, new long[] {1, 16, 16, 1}, List.of("y"));
                withSecond = threads();
                // its two intra-op threads at least (the JVM's own threads come and go by one or so)
                assertThat(withSecond).as("threads after a second model ran").isGreaterThanOrEqualTo(withFirst + 2);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (threads() > withSecond - 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(threads()).as("threads after the second model closed").isLessThanOrEqualTo(withSecond - 2);
        }
    }

    /** Native and Java threads of this process. */
    private static int threads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        }
    }
}
