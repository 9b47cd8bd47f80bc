package io.dancestream.viewer;

import java.util.Locale;

/** The three images shown per stream, side by side, in pipeline order. */
public enum Panel {
    /** The captured frame (dance.frames). */
    SOURCE,
    /** The coloured part map (dance.segments). */
    PARTS,
    /** The rendered target dancer (dance.rendered): the end of the pipeline. */
    RENDER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The panel named {@code id}, or null when there is none. */
    public static Panel ofId(String id) {
        for (Panel p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
