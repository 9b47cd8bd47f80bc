package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;

/**
 * The child JVM of {@link ModelProbe}: loads one SavedModel and runs the warm-up inference
 * ({@link ModelLoader#warmUp}) on it. Exits 0 after printing {@link #PASSED}; on an error it
 * prints {@link #FAILED} and the reason and exits 1. A native crash ends it with the signal.
 *
 * <p>Usage: {@code ModelProbeMain MODEL_DIR INPUT_SIZE} (input size 0: whatever the model takes).
 */
public final class ModelProbeMain {

    static final String PASSED = "model probe passed";
    static final String FAILED = "model probe failed: ";

    private ModelProbeMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println(FAILED + "usage: ModelProbeMain MODEL_DIR INPUT_SIZE");
            System.exit(2);
        }
        ModelVersion mv = ModelVersion.newBuilder().setName("probe").setVersion("0").setLocation(args[0])
                .setInputSize(Integer.parseInt(args[1])).build();
        int exit = 0;
        try {
            GeneratorModel model = GeneratorModel.load(mv);
            try {
                ModelLoader.warmUp(model);
            } catch (RuntimeException e) {
                throw new IllegalStateException("inference failed: " + e.getMessage(), e);
            } finally {
                model.release();
            }
            System.out.println(PASSED);
        } catch (Throwable e) { // an OutOfMemoryError or a missing native library is a failed probe too
            System.err.println(FAILED + (e.getMessage() == null ? e.toString() : e.getMessage()));
            e.printStackTrace();
            exit = 1;
        }
        System.out.flush();
        System.err.flush();
        // TensorFlow's and JavaCPP's threads must not keep the child alive
        System.exit(exit);
    }
}
