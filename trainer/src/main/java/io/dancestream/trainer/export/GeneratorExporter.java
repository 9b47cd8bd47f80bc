package io.dancestream.trainer.export;

import io.dancestream.common.io.Directories;
import io.dancestream.trainer.data.BackgroundPlate;
import io.dancestream.trainer.model.Layers;
import io.dancestream.trainer.model.ModelConfig;
import io.dancestream.trainer.model.Networks;
import io.dancestream.trainer.model.TrainingSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Writes the generator of a training session as a serving SavedModel: signature
 * {@value #SIGNATURE}, input {@value #INPUT} uint8 [N,S,S] (class ids), output {@value #OUTPUT}
 * uint8 [N,S,S,3] (RGB), so the renderer does no tensor math. A temporal (two-frame) model takes a
 * second input, {@value #PREVIOUS} uint8 [N,S,S,3]: its own previous output, re-projected into
 * this frame's crop by the caller (common's CropReprojection), all 0 for a stream's first frame.
 * Only the generator goes in: a
 * serving graph is built with the generator's variable names and restored from a checkpoint of
 * the session, leaving the discriminator and the optimizer slots behind.
 */
public final class GeneratorExporter {

    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "class_ids";
    public static final String OUTPUT = "rgb";
    public static final String PREVIOUS = "previous_rgb";
    /** ModelVersion.conditioning of a two-frame model: conditioned on its previous output. */
    public static final String PREVIOUS_CROP = "previous_crop";

    private GeneratorExporter() {
    }

    /** Exports into {@code dir}, which must not exist yet (use {@link GeneratorStore} for atomic publishing). */
    public static void export(TrainingSession training, Path dir) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("dance-export-");
            Path ckpt = tmp.resolve("ckpt");
            training.save(ckpt);
            export(training.config(), ckpt, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the generator to " + dir + ": " + e.getMessage(), e);
        } finally {
            Directories.deleteRecursively(tmp);
        }
    }

    /** What {@link io.dancestream.common.proto.ModelVersion#getGeometry()} says of a person-centred model. */
    public static final String PERSON_CROP = "person_crop";

    /**
     * Writes the background plate (PNG) into the model directory, so the checksum covers it and
     * the model carries its scene; nothing when there is none.
     */
    public static void writePlate(Path dir, byte[] platePng) {
        if (platePng == null) {
            return;
        }
        try {
            Files.write(dir.resolve(BackgroundPlate.FILE), platePng);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the background plate to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Announces the person-crop geometry and the plate (file and size) in the ModelVersion. */
    public static void announcePlate(io.dancestream.common.proto.ModelVersion.Builder mv, byte[] platePng) {
        mv.setGeometry(PERSON_CROP);
        if (platePng == null) {
            return;
        }
        try (org.bytedeco.opencv.opencv_core.Mat plate = io.dancestream.common.image.ImageCodec.decodeColor(platePng)) {
            mv.setBackgroundPlate(BackgroundPlate.FILE).setPlateWidth(plate.cols()).setPlateHeight(plate.rows());
        }
    }

    /**
     * Announces where and how tall the target stands in its training frames (plate pixels), so
     * transfer-stream can normalize a source into that framing; nothing when no frame had a person.
     */
    public static void announceFraming(io.dancestream.common.proto.ModelVersion.Builder mv,
                                io.dancestream.common.image.FramingStats framing) {
        if (framing != null && !framing.isEmpty()) {
            mv.setTargetFraming(framing.toProto());
            org.slf4j.LoggerFactory.getLogger(GeneratorExporter.class).info(
                    "target framing (pose normalization): feet y {} far .. {} near, body {} .. {} px tall, centre x {}, "
                            + "from {} training frames", Math.round(framing.farFootY()), Math.round(framing.nearFootY()),
                    Math.round(framing.farHeight()), Math.round(framing.nearHeight()), Math.round(framing.meanCenterX()),
                    framing.frames());
        }
    }

    /** Exports the generator of a training checkpoint (prefix) of a model with {@code config}. */
    public static void export(ModelConfig config, Path checkpointPrefix, Path dir) throws IOException {
        if (Files.exists(dir)) {
            throw new IOException("export directory " + dir + " already exists");
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            int s = config.size();
            Placeholder<TUint8> in = tf.withName(INPUT).placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, s, s)));
            Layers layers = new Layers(tf, Networks.GENERATOR, 0);
            Placeholder<TUint8> prev = config.temporal()
                    ? tf.withName(PREVIOUS).placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, s, s, 3))) : null;
            Operand<TFloat32> input = Networks.generatorInput(tf, Networks.oneHot(tf, in, config.classes()),
                    prev == null ? null : Networks.toUnit(tf, prev));
            Operand<TFloat32> y = Networks.generator(layers, input, config, null, null);
            Operand<TFloat32> scaled = tf.math.round(tf.clipByValue(
                    tf.math.mul(tf.math.add(y, tf.constant(1f)), tf.constant(127.5f)), tf.constant(0f), tf.constant(255f)));
            Operand<TUint8> rgb = tf.withName(OUTPUT).dtypes.cast(scaled, TUint8.class);
            try (Session session = new Session(g, TrainingSession.sessionConfig())) {
                session.restore(checkpointPrefix.toString());
                Signature.Builder sb = Signature.builder().key(SIGNATURE).input(INPUT, in).output(OUTPUT, rgb);
                if (prev != null) {
                    sb.input(PREVIOUS, prev);
                }
                Signature sig = sb.build();
                SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(sig).export();
            }
        }
    }
}
