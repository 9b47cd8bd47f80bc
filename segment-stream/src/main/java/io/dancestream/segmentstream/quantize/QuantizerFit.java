package io.dancestream.segmentstream.quantize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dancestream.common.parts.BodyPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A fitted colour model: one RGB centroid per class id (index = class id, 0 = background),
 * the pixels per class in the fit, how many masks and pixels it saw and when. Saved as JSON so a
 * service restarts with the last fit instead of the raw palette.
 *
 * @param centroids {@code [25][3]} RGB centroids, index = class id
 * @param pixelsPerClass pixels assigned to each class in the last Lloyd step
 */
public record QuantizerFit(double[][] centroids, long[] pixelsPerClass, long sampleCount, int masks,
                           int iterations, String fittedAt) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public QuantizerFit {
        if (centroids.length != BodyPart.COUNT) {
            throw new IllegalArgumentException("a fit has " + BodyPart.COUNT + " centroids, got " + centroids.length);
        }
        for (double[] c : centroids) {
            if (c.length != 3) {
                throw new IllegalArgumentException("a centroid has 3 channels (RGB)");
            }
        }
    }

    /** The unfitted model: BodyPix's palette itself (the naive nearest-palette mapping). */
    public static QuantizerFit palette() {
        double[][] c = new double[BodyPart.COUNT][];
        for (BodyPart p : BodyPart.values()) {
            c[p.id()] = new double[] {p.red(), p.green(), p.blue()};
        }
        return new QuantizerFit(c, new long[BodyPart.COUNT], 0, 0, 0, Instant.EPOCH.toString());
    }

    public boolean isPalette() {
        return sampleCount == 0;
    }

    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), Map.of(
                "centroids", centroids, "pixelsPerClass", pixelsPerClass, "sampleCount", sampleCount,
                "masks", masks, "iterations", iterations, "fittedAt", fittedAt));
        // atomic replace: a reader never sees half a file
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static QuantizerFit load(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), QuantizerFit.class);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read quantizer fit " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "QuantizerFit{masks=" + masks + ", samples=" + sampleCount + ", iterations=" + iterations
                + ", fittedAt=" + fittedAt + "}";
    }
}
