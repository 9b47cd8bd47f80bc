package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;
import io.dancestream.common.records.ModelChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Turns a published ModelVersion into a generator that is safe to switch to: the directory's
 * sha256 must match the record, the model must pass its probe in a child JVM (a native crash
 * there must not take this JVM down), the SavedModel must honour the serving contract, and one
 * warm-up batch must run (TensorFlow compiles kernels on the first call; that cost must not land
 * on a live frame).
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * Loads, verifies and warms up; throws {@link ModelRejectedException} with the reason.
     *
     * @param probe the child-JVM probe to pass first, or null to load straight into this JVM
     */
    public static GeneratorModel loadVerified(ModelVersion mv, ModelProbe probe) {
        return loadVerified(mv, probe, TransferSettings.DEFAULT_INFERENCE_THREADS);
    }

    /**
     * As {@link #loadVerified(ModelVersion, ModelProbe)}, which runs on transfer-stream's default
     * thread count, so a benchmark renders as the service does; {@code threads} TensorFlow intra-op
     * threads (0: all cores).
     */
    static GeneratorModel loadVerified(ModelVersion mv, ModelProbe probe, int threads) {
        Path dir = Path.of(mv.getLocation());
        if (!Files.isDirectory(dir)) {
            throw new ModelRejectedException(mv, "model directory " + dir + " does not exist");
        }
        String actual;
        try {
            actual = ModelChecksum.of(dir);
        } catch (RuntimeException e) {
            throw new ModelRejectedException(mv, e.getMessage());
        }
        if (!actual.equalsIgnoreCase(mv.getSha256())) {
            throw new ModelRejectedException(mv, "sha256 mismatch: record says " + mv.getSha256() + ", directory has " + actual);
        }
        if (probe != null) {
            try {
                probe.check(mv);
            } catch (ModelProbe.ProbeFailedException e) {
                throw new ModelRejectedException(mv, e.getMessage());
            }
        }
        GeneratorModel model;
        try {
            model = GeneratorModel.load(mv, threads);
        } catch (RuntimeException e) {
            throw new ModelRejectedException(mv, e.getMessage());
        }
        try {
            warmUp(model);
            return model;
        } catch (RuntimeException e) {
            model.release();
            throw new ModelRejectedException(mv, "warm-up inference failed: " + e.getMessage());
        }
    }

    /**
     * One inference on a part-map-like input (a torso on background); the renderer checks the
     * output against the contract. The child-JVM probe runs the same call.
     */
    static void warmUp(GeneratorModel model) {
        int s = model.inputSize();
        try (Mat cm = new Mat(s, s, opencv_core.CV_8UC1, new Scalar(0));
             Mat torso = cm.apply(new Rect(s / 4, s / 4, Math.max(1, s / 2), Math.max(1, s / 2)))) {
            torso.put(new Scalar(13));
            for (Mat m : model.personCrop() ? model.renderCrops(List.of(cm)) : model.render(List.of(cm))) {
                m.close();
            }
        }
    }

    /** A model that must not serve, with the reason. */
    static final class ModelRejectedException extends RuntimeException {
        private final transient ModelVersion model;

        ModelRejectedException(ModelVersion model, String reason) {
            super("model " + model.getName() + ":" + model.getVersion() + " rejected: " + reason);
            this.model = model;
        }

        ModelVersion model() {
            return model;
        }
    }
}
