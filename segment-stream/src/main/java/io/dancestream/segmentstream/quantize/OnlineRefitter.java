package io.dancestream.segmentstream.quantize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Online adaptation: collects the colours of the masks a stream delivers and, every
 * {@code everyMasks} masks, re-fits k-means starting from the current centroids, switches the
 * quantizer to the new table and saves the fit (when a file is given). The histogram then starts
 * afresh, so the model follows a drifting capture (another browser, another colour profile).
 * Thread-safe.
 */
public final class OnlineRefitter {

    private final MaskQuantizer quantizer;
    private final int everyMasks;
    private final Path saveTo;
    private final PaletteKMeans kmeans = new PaletteKMeans();
    private final ColorHistogram hist = new ColorHistogram();
    private int refits;

    /**
     * @param everyMasks re-fit after this many masks (≥ 1)
     * @param saveTo where each new fit is written (JSON), or null
     */
    public OnlineRefitter(MaskQuantizer quantizer, int everyMasks, Path saveTo) {
        if (everyMasks < 1) {
            throw new IllegalArgumentException("re-fit interval must be at least 1 mask, got " + everyMasks);
        }
        this.quantizer = quantizer;
        this.everyMasks = everyMasks;
        this.saveTo = saveTo;
    }

    /**
     * Adds one decoded BGR mask.
     *
     * @return the new fit when this mask triggered a re-fit, else null
     */
    public synchronized QuantizerFit observe(Mat bgr) {
        hist.add(bgr);
        if (hist.masks() < everyMasks) {
            return null;
        }
        QuantizerFit next = kmeans.fit(hist, quantizer.fit().centroids());
        quantizer.use(next);
        hist.clear();
        refits++;
        if (saveTo != null) {
            try {
                next.save(saveTo);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save quantizer fit to " + saveTo + ": " + e.getMessage(), e);
            }
        }
        return next;
    }

    public synchronized int refits() {
        return refits;
    }
}
