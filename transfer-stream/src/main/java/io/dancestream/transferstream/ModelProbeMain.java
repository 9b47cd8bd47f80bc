package io.dancestream.transferstream;

import io.dancestream.common.proto.ModelVersion;

/**
 * The child JVM of {@link ModelProbe}: loads one SavedModel and runs the warm-up inference
 * ({@link ModelLoader#warmUp}) on it. Exits 0 after printing {@link #PASSED}; on an error it
 * prints {@link #FAILED} and the reason and exits 1. A native crash ends it with the signal.
 *
 * <p>Usage: {@code ModelProbeMain BASE64_MODEL_VERSION}: the ModelVersion as the service would load it.
 */
public final class ModelProbeMain {

    static final String PASSED = "model probe passed";
    static final String FAILED = "model probe failed: ";

    private ModelProbeMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println(FAILED + "usage: ModelProbeMain BASE64_MODEL_VERSION");
            System.exit(2);
        }
        ModelVersion mv;
        try {
            mv = ModelVersion.parseFrom(java.util.Base64.getDecoder().decode(args[0]));
        } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
            System.err.println(FAILED + "not a ModelVersion: " + e.getMessage());
            System.exit(2);
            return;
        }
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
