package io.dancestream.segmentstream.parts;

/**
 * The face-detail classes of the "detailed" schema, after BodyPix's 24 parts (ids 25..30):
 * the seed article's fix for "funny faces", where a two-part face gives a generator nothing to
 * place eyes and mouth by. Colours continue the palette in hues BodyPix does not use.
 */
public enum FaceDetail {
    LEFT_EYE(25, 30, 30, 30),
    RIGHT_EYE(26, 80, 80, 80),
    NOSE(27, 255, 0, 0),
    MOUTH(28, 200, 0, 80),
    LEFT_EAR(29, 0, 90, 0),
    RIGHT_EAR(30, 0, 150, 60);

    /** Number of classes of the detailed schema, background included. */
    public static final int SCHEMA_COUNT = 31;

    private final int id;
    private final int r;
    private final int g;
    private final int b;

    FaceDetail(int id, int r, int g, int b) {
        this.id = id;
        this.r = r;
        this.g = g;
        this.b = b;
    }

    public int id() {
        return id;
    }

    public int rgb() {
        return (r << 16) | (g << 8) | b;
    }

    /** Id after a horizontal flip: left and right eye/ear swap. */
    public static int mirrorId(int id) {
        return switch (id) {
            case 25 -> 26;
            case 26 -> 25;
            case 29 -> 30;
            case 30 -> 29;
            default -> id;
        };
    }
}
