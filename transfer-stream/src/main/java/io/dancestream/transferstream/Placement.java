package io.dancestream.transferstream;

/** Where a person-crop model's rendered person goes in the plate's scene ({@code --placement}). */
public enum Placement {
    /** Into the target's framing by global pose normalization (common's PoseNormalization). */
    normalized,
    /** Where the source stands, proportionally to the frame (common's SourcePlacement). */
    source
}
