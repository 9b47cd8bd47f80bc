package io.dancestream.common.parts;

/**
 * The part map's classes: 0 = background, 1..24 = BodyPix's 24 parts in BodyPix's order
 * (BodyPix numbers them 0..23), each with BodyPix's rainbow palette colour. "left" is the
 * person's left. See docs/design.md "Part classes".
 */
public enum BodyPart {
    BACKGROUND(255, 255, 255),
    LEFT_FACE(110, 64, 170),
    RIGHT_FACE(143, 61, 178),
    LEFT_UPPER_ARM_FRONT(178, 60, 178),
    LEFT_UPPER_ARM_BACK(210, 62, 167),
    RIGHT_UPPER_ARM_FRONT(238, 67, 149),
    RIGHT_UPPER_ARM_BACK(255, 78, 125),
    LEFT_LOWER_ARM_FRONT(255, 94, 99),
    LEFT_LOWER_ARM_BACK(255, 115, 75),
    RIGHT_LOWER_ARM_FRONT(255, 140, 56),
    RIGHT_LOWER_ARM_BACK(239, 167, 47),
    LEFT_HAND(217, 194, 49),
    RIGHT_HAND(194, 219, 64),
    TORSO_FRONT(175, 240, 91),
    TORSO_BACK(135, 245, 87),
    LEFT_UPPER_LEG_FRONT(96, 247, 96),
    LEFT_UPPER_LEG_BACK(64, 243, 115),
    RIGHT_UPPER_LEG_FRONT(40, 234, 141),
    RIGHT_UPPER_LEG_BACK(28, 219, 169),
    LEFT_LOWER_LEG_FRONT(26, 199, 194),
    LEFT_LOWER_LEG_BACK(33, 176, 213),
    RIGHT_LOWER_LEG_FRONT(47, 150, 224),
    RIGHT_LOWER_LEG_BACK(65, 125, 224),
    LEFT_FEET(84, 101, 214),
    RIGHT_FEET(99, 81, 195);

    /** Number of classes of the BodyPix schema, background included. */
    public static final int COUNT = 25;

    /**
     * Number of classes of the "detailed" schema: the 25 above plus six face-detail classes
     * (ids 25..30: eyes, nose, mouth, ears) that follow them.
     */
    public static final int DETAILED_COUNT = 31;

    /** Class count of a Segmentation's schema name ("detailed", else BodyPix's 25). */
    public static int classCount(String schema) {
        return "detailed".equals(schema) ? DETAILED_COUNT : COUNT;
    }

    private final int r;
    private final int g;
    private final int b;

    BodyPart(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** Class id in the part map (0 = background, 1..24). */
    public int id() {
        return ordinal();
    }

    public static BodyPart ofId(int id) {
        return values()[id];
    }

    /** BodyPix's name, e.g. "left_upper_arm_front". */
    public String bodyPixName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int red() { return r; }
    public int green() { return g; }
    public int blue() { return b; }

    /** Packed 0xRRGGBB. */
    public int rgb() {
        return (r << 16) | (g << 8) | b;
    }

    public boolean isLeft() {
        return name().startsWith("LEFT_");
    }

    public boolean isRight() {
        return name().startsWith("RIGHT_");
    }

    /** The same part on the other side (itself for background and torso). */
    public BodyPart mirrored() {
        if (isLeft()) {
            return valueOf("RIGHT_" + name().substring(5));
        }
        if (isRight()) {
            return valueOf("LEFT_" + name().substring(6));
        }
        return this;
    }
}
