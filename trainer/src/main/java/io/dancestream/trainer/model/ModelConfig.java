package io.dancestream.trainer.model;

import io.dancestream.common.parts.BodyPart;

/**
 * The shape of one pix2pix model: square size (a power of two, at least 16), generator and
 * discriminator widths, the number of part classes of the one-hot input, and whether the
 * generator is temporal (Everybody Dance Now's two-frame generator: it also sees its own previous
 * output, re-projected into the current crop, and the discriminator judges consecutive pairs).
 */
public record ModelConfig(int size, int ngf, int ndf, int classes, boolean temporal) {

    public ModelConfig(int size, int ngf, int ndf) {
        this(size, ngf, ndf, BodyPart.COUNT, false);
    }

    public ModelConfig(int size, int ngf, int ndf, boolean temporal) {
        this(size, ngf, ndf, BodyPart.COUNT, temporal);
    }

    public ModelConfig {
        if (size < 16 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("model size must be a power of two >= 16, got " + size);
        }
        if (ngf < 1 || ndf < 1 || classes < 2) {
            throw new IllegalArgumentException("ngf, ndf must be >= 1 and classes >= 2");
        }
    }

    /** U-Net levels: the encoder halves the size down to 1x1, as pix2pix's U-Net-256 does. */
    public int depth() {
        return Integer.numberOfTrailingZeros(size);
    }

    /** Channels of the generator's input: the one-hot part map, plus the previous frame's RGB when temporal. */
    public int generatorInputChannels() {
        return classes + (temporal ? 3 : 0);
    }
}
