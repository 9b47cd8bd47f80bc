package io.dancestream.trainer.model;

/** The losses of one training step: discriminator, generator total, its GAN and L1 parts. */
public record StepLosses(long step, float d, float g, float gan, float l1) {
}
