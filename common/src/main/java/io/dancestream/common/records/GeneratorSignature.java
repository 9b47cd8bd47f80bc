package io.dancestream.common.records;

/**
 * The serving contract of a published generator, shared by the trainer that exports it and
 * transfer-stream that renders with it (docs/design.md, "dance.models"): the SavedModel signature
 * {@value #SIGNATURE} takes {@value #INPUT} uint8 [N,S,S] (class ids) and gives {@value #OUTPUT}
 * uint8 [N,S,S,3]; a two-frame model also takes {@value #PREVIOUS} uint8 [N,S,S,3], its own previous
 * output re-projected into this crop. The last two are values of {@code ModelVersion} fields.
 */
public final class GeneratorSignature {

    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "class_ids";
    public static final String OUTPUT = "rgb";
    public static final String PREVIOUS = "previous_rgb";
    /** {@code ModelVersion.conditioning} of a two-frame model: conditioned on its previous output. */
    public static final String PREVIOUS_CROP = "previous_crop";
    /** {@code ModelVersion.geometry} of a person-centred model (renders a square person crop). */
    public static final String PERSON_CROP = "person_crop";

    private GeneratorSignature() {
    }
}
