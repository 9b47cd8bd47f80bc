package io.dancestream.transferstream;

import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.GeneratorSignature;
import io.dancestream.common.records.ModelChecksum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Abort;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Real SavedModel generators for tests, honouring the trainer's export contract: signature
 * "serving_default", input "class_ids" uint8 [N,S,S], output "rgb" uint8 [N,S,S,3]. The graph
 * is one-hot → 1x1 convolution with fixed weights → uint8, so each class renders as a known
 * colour and a test can check pixels against it.
 */
final class TestGenerators {

    private TestGenerators() {
    }

    /** RGB colour per class: BodyPix palette, background (0) black. */
    static int[][] paletteColours() {
        int[][] c = new int[25][3];
        for (BodyPart p : BodyPart.values()) {
            c[p.id()] = new int[] {p.red(), p.green(), p.blue()};
        }
        return c;
    }

    /** Every class renders as the same colour: a visibly different "version". */
    static int[][] flatColours(int r, int g, int b) {
        int[][] c = new int[25][3];
        for (int i = 0; i < 25; i++) {
            c[i] = new int[] {r, g, b};
        }
        return c;
    }

    /** Exports the generator to {@code dir} and returns its ModelVersion record. */
    static ModelVersion export(Path dir, String name, String version, int size, int[][] rgbPerClass) {
        return export(dir, name, version, size, rgbPerClass, false);
    }

    /**
     * A generator with the right signature whose output depends on TensorFlow's {@code Abort} op:
     * fetching {@code rgb} aborts the process (SIGABRT), as a natively crashing model would.
     */
    static ModelVersion exportAborting(Path dir, String name, String version, int size) {
        return export(dir, name, version, size, paletteColours(), true);
    }

    /**
     * A person-crop generator as the trainer exports it: the same graph plus {@code plate} (BGR)
     * as plate.png in the model directory, announced in the ModelVersion and covered by sha256.
     */
    static ModelVersion exportPersonCrop(Path dir, String name, String version, int size, int[][] rgbPerClass,
                                         org.bytedeco.opencv.opencv_core.Mat plate) {
        ModelVersion mv = export(dir, name, version, size, rgbPerClass, false);
        try {
            Files.write(dir.resolve("plate.png"), io.dancestream.common.image.ImageCodec.encodePng(plate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mv.toBuilder().setGeometry(GeneratorSignature.PERSON_CROP).setBackgroundPlate("plate.png")
                .setPlateWidth(plate.cols()).setPlateHeight(plate.rows()).setSha256(ModelChecksum.of(dir)).build();
    }

    /**
     * A two-frame person-crop generator with a known rule: rgb = (colour of the class + previous_rgb) / 2,
     * so a frame conditioned on nothing renders half its colour and each conditioned frame moves
     * halfway from its predecessor's render to the colour: a test reads the history off the pixels.
     */
    static ModelVersion exportTemporal(Path dir, String name, String version, int size, int[][] rgbPerClass,
                                       org.bytedeco.opencv.opencv_core.Mat plate) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TUint8> ids = tf.withName("class_ids").placeholder(TUint8.class,
                    Placeholder.shape(Shape.of(-1, size, size)));
            Placeholder<TUint8> prev = tf.withName("previous_rgb").placeholder(TUint8.class,
                    Placeholder.shape(Shape.of(-1, size, size, 3)));
            var colour = classColours(tf, ids, rgbPerClass);
            var mixed = tf.math.mul(tf.math.add(colour, tf.dtypes.cast(prev, TFloat32.class)),
                    tf.constant(0.5f));
            Operand<TUint8> rgb = tf.withName("rgb").dtypes.cast(
                    tf.clipByValue(tf.math.round(mixed), tf.constant(0f), tf.constant(255f)), TUint8.class);
            try (Session s = new Session(g)) {
                Signature sig = Signature.builder().key(GeneratorSignature.SIGNATURE).input(GeneratorSignature.INPUT, ids)
                        .input(GeneratorSignature.PREVIOUS, prev).output(GeneratorSignature.OUTPUT, rgb).build();
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
            }
            Files.write(dir.resolve("plate.png"), io.dancestream.common.image.ImageCodec.encodePng(plate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ModelVersion.newBuilder().setName(name).setVersion(version).setLocation(dir.toAbsolutePath().toString())
                .setSha256(ModelChecksum.of(dir)).setInputSize(size).setSteps(1).setPreset("test")
                .setGeometry(GeneratorSignature.PERSON_CROP).setBackgroundPlate("plate.png").setPlateWidth(plate.cols())
                .setPlateHeight(plate.rows()).setConditioning(GeneratorSignature.PREVIOUS_CROP).build();
    }

    /** A directory whose saved_model.pb is garbage, with a matching checksum: only loading can tell. */
    static ModelVersion notASavedModel(Path dir, String name, String version, int size) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("saved_model.pb"), "garbage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ModelVersion.newBuilder().setName(name).setVersion(version).setLocation(dir.toAbsolutePath().toString())
                .setSha256(ModelChecksum.of(dir)).setInputSize(size).build();
    }

    private static ModelVersion export(Path dir, String name, String version, int size, int[][] rgbPerClass,
                                       boolean abortOnRun) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TUint8> ids = tf.withName("class_ids").placeholder(TUint8.class,
                    Placeholder.shape(Shape.of(-1, size, size)));
            var conv = classColours(tf, ids, rgbPerClass);
            Operand<TUint8> rgb = tf.withName("rgb").dtypes.cast(
                    tf.clipByValue(tf.math.round(conv), tf.constant(0f), tf.constant(255f)), TUint8.class);
            if (abortOnRun) {
                // a control dependency: the Abort runs whenever rgb is fetched (a stateful op, never pruned)
                Abort abort = tf.abort(Abort.errorMsg("test generator aborts on purpose"));
                rgb = tf.withControlDependencies(List.of(abort)).withName("rgb_after_abort").identity(rgb);
            }
            try (Session s = new Session(g)) {
                Signature sig = Signature.builder().key(GeneratorSignature.SIGNATURE).input(GeneratorSignature.INPUT, ids)
                        .output(GeneratorSignature.OUTPUT, rgb).build();
                SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ModelVersion.newBuilder().setName(name).setVersion(version).setLocation(dir.toAbsolutePath().toString())
                .setSha256(ModelChecksum.of(dir)).setInputSize(size).setSteps(1).setPreset("test").build();
    }

    /** Each pixel's class id mapped to {@code rgbPerClass[id]}, as float RGB (a 1x1 convolution of the one-hot ids). */
    private static Operand<TFloat32> classColours(Ops tf, Operand<TUint8> ids, int[][] rgbPerClass) {
        var oneHot = tf.oneHot(tf.dtypes.cast(ids, TInt32.class), tf.constant(25), tf.constant(1f), tf.constant(0f));
        float[][][][] w = new float[1][1][25][3];
        for (int k = 0; k < 25; k++) {
            for (int ch = 0; ch < 3; ch++) {
                w[0][0][k][ch] = rgbPerClass[k][ch];
            }
        }
        return tf.nn.conv2d(oneHot, tf.constant(w), List.of(1L, 1L, 1L, 1L), "SAME");
    }
}
