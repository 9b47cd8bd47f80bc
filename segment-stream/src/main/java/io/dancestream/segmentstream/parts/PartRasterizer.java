package io.dancestream.segmentstream.parts;

import io.dancestream.common.parts.BodyPart;
import java.util.Arrays;

/**
 * Turns BlazePose landmarks into a BodyPix-style part map: every pixel goes to the body segment
 * whose capsule (a line between two landmarks with a radius scaled to the body) it lies
 * deepest in, measured as distance / radius. The torso is the shoulder–hip quadrilateral; a
 * limb in front of it (smaller z) wins over it, one behind it loses. Front/back parts follow
 * which way the torso faces; the face splits along its midline (nose, perpendicular to the
 * eyes); hands and feet run from the wrist/ankle through the hand/foot landmarks. The detailed
 * schema then marks eyes, nose, mouth and ears inside the face.
 *
 * <p>Works on any coordinate frame; the segmenter runs it in the 256×256 ROI crop (constant
 * cost per frame, independent of the video size) and warps the result into the frame.
 */
public final class PartRasterizer {

    /** BlazePose landmark indices (person's left/right). */
    static final int NOSE = 0, L_EYE_IN = 1, L_EYE = 2, L_EYE_OUT = 3, R_EYE_IN = 4, R_EYE = 5, R_EYE_OUT = 6,
            L_EAR = 7, R_EAR = 8, MOUTH_L = 9, MOUTH_R = 10, L_SHOULDER = 11, R_SHOULDER = 12, L_ELBOW = 13,
            R_ELBOW = 14, L_WRIST = 15, R_WRIST = 16, L_PINKY = 17, R_PINKY = 18, L_INDEX = 19, R_INDEX = 20,
            L_THUMB = 21, R_THUMB = 22, L_HIP = 23, R_HIP = 24, L_KNEE = 25, R_KNEE = 26, L_ANKLE = 27, R_ANKLE = 28,
            L_HEEL = 29, R_HEEL = 30, L_FOOT = 31, R_FOOT = 32;

    private static final int STRIDE = 5;
    /** Pixels per side of the blocks candidates are pruned for. */
    private static final int BLOCK = 8;
    /** Bounds are pruned with this slack, far above double rounding at pixel scale. */
    private static final double SLACK = 1e-6;
    /** A limb this much closer (z, in body scales) than the torso is drawn over it. */
    private static final double Z_MARGIN = 0.05;

    private final boolean detailed;

    public PartRasterizer(boolean detailed) {
        this.detailed = detailed;
    }

    /**
     * Rasterizes into {@code out} (row-major width×height class ids) every pixel whose
     * {@code mask} value (same layout) is at least {@code minMask}; others get 0.
     *
     * @param lm 33 or more landmarks as (x, y, z, visibility, presence) in this pixel frame
     */
    public void rasterize(float[] lm, float[] mask, float minMask, int width, int height, byte[] out) {
        // Per block, only the parts that can win one of its pixels are measured: a part whose
        // smallest possible score in the block exceeds some part's largest loses every pixel there
        // (scores are distances, which change by at most the block's half-diagonal from its centre).
        // Same map as scoring every part at every pixel (rasterizeEveryPart), at a fraction of
        // the cost: this loop was the segment stage's second cost after the landmark model (JFR).
        Body body = new Body(lm);
        Block block = new Block(body.limbs.length);
        Arrays.fill(out, 0, width * height, (byte) 0);
        for (int by = 0; by < height; by += BLOCK) {
            int y1 = Math.min(by + BLOCK, height);
            for (int bx = 0; bx < width; bx += BLOCK) {
                int x1 = Math.min(bx + BLOCK, width);
                boolean any = false;
                for (int y = by; y < y1 && !any; y++) {
                    for (int x = bx; x < x1; x++) {
                        if (mask[y * width + x] >= minMask) {
                            any = true;
                            break;
                        }
                    }
                }
                if (!any) {
                    continue;
                }
                body.prune((bx + x1) / 2.0, (by + y1) / 2.0, length((x1 - bx - 1) / 2.0, (y1 - by - 1) / 2.0), block);
                for (int y = by; y < y1; y++) {
                    for (int x = bx; x < x1; x++) {
                        int i = y * width + x;
                        if (mask[i] >= minMask) {
                            out[i] = (byte) body.classify(x + 0.5, y + 0.5, block);
                        }
                    }
                }
            }
        }
    }

    /** The reference the pruned loop must match: every part scored at every pixel. */
    void rasterizeEveryPart(float[] lm, float[] mask, float minMask, int width, int height, byte[] out) {
        Body body = new Body(lm);
        Block all = Block.everything(body.limbs.length);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                out[i] = mask[i] >= minMask ? (byte) body.classify(x + 0.5, y + 0.5, all) : 0;
            }
        }
    }

    /** Which parts can still win in the current block. */
    private static final class Block {
        /** Where the block lies against the torso quad: wholly inside, wholly outside, or across it. */
        enum Side { IN, OUT, ACROSS }

        Side side = Side.ACROSS;
        boolean torso;
        boolean head;
        boolean needInside;
        int limbCount;
        final int[] limbs;
        /** Each limb's lowest score in the block (scratch of {@code prune}, reused block to block). */
        final double[] low;

        Block(int limbs) {
            this.limbs = new int[limbs];
            this.low = new double[limbs];
        }

        static Block everything(int limbs) {
            Block b = new Block(limbs);
            b.torso = true;
            b.head = true;
            b.needInside = true;
            b.limbCount = limbs;
            for (int k = 0; k < limbs; k++) {
                b.limbs[k] = k;
            }
            return b;
        }

        /** Only one part can win here: no score needs measuring. */
        boolean single() {
            return limbCount + (torso ? 1 : 0) + (head ? 1 : 0) == 1;
        }
    }

    /** The pose, reduced to the capsules and decisions the per-pixel loop needs. */
    private final class Body {
        private final float[] lm;
        private final double scale;
        private final boolean front;
        private final Capsule[] limbs;
        private final double[] torso; // quad x0,y0..x3,y3 (l-shoulder, r-shoulder, r-hip, l-hip)
        private final double torsoZ;
        private final double headX, headY, headR;
        private final double midX, midY, midDx, midDy; // face midline: point + direction toward person's left
        private final double eyeDist;

        Body(float[] lm) {
            this.lm = lm;
            double shX = (x(L_SHOULDER) + x(R_SHOULDER)) / 2, shY = (y(L_SHOULDER) + y(R_SHOULDER)) / 2;
            double hipX = (x(L_HIP) + x(R_HIP)) / 2, hipY = (y(L_HIP) + y(R_HIP)) / 2;
            double torsoLen = Math.hypot(shX - hipX, shY - hipY);
            double shoulderW = dist(L_SHOULDER, R_SHOULDER);
            this.scale = Math.max(1, Math.max(torsoLen, shoulderW));
            this.front = facesCamera();
            this.torso = new double[] {x(L_SHOULDER), y(L_SHOULDER), x(R_SHOULDER), y(R_SHOULDER),
                    x(R_HIP), y(R_HIP), x(L_HIP), y(L_HIP)};
            this.torsoZ = (z(L_SHOULDER) + z(R_SHOULDER) + z(L_HIP) + z(R_HIP)) / 4;
            double s = scale;
            this.limbs = new Capsule[] {
                limb(L_SHOULDER, L_ELBOW, 0.14 * s, BodyPart.LEFT_UPPER_ARM_FRONT, BodyPart.LEFT_UPPER_ARM_BACK),
                limb(R_SHOULDER, R_ELBOW, 0.14 * s, BodyPart.RIGHT_UPPER_ARM_FRONT, BodyPart.RIGHT_UPPER_ARM_BACK),
                limb(L_ELBOW, L_WRIST, 0.12 * s, BodyPart.LEFT_LOWER_ARM_FRONT, BodyPart.LEFT_LOWER_ARM_BACK),
                limb(R_ELBOW, R_WRIST, 0.12 * s, BodyPart.RIGHT_LOWER_ARM_FRONT, BodyPart.RIGHT_LOWER_ARM_BACK),
                extremity(L_WRIST, L_INDEX, L_PINKY, 1.3, 0.11 * s, BodyPart.LEFT_HAND),
                extremity(R_WRIST, R_INDEX, R_PINKY, 1.3, 0.11 * s, BodyPart.RIGHT_HAND),
                limb(L_HIP, L_KNEE, 0.2 * s, BodyPart.LEFT_UPPER_LEG_FRONT, BodyPart.LEFT_UPPER_LEG_BACK),
                limb(R_HIP, R_KNEE, 0.2 * s, BodyPart.RIGHT_UPPER_LEG_FRONT, BodyPart.RIGHT_UPPER_LEG_BACK),
                limb(L_KNEE, L_ANKLE, 0.15 * s, BodyPart.LEFT_LOWER_LEG_FRONT, BodyPart.LEFT_LOWER_LEG_BACK),
                limb(R_KNEE, R_ANKLE, 0.15 * s, BodyPart.RIGHT_LOWER_LEG_FRONT, BodyPart.RIGHT_LOWER_LEG_BACK),
                extremity(L_HEEL, L_FOOT, L_FOOT, 1.1, 0.09 * s, BodyPart.LEFT_FEET),
                extremity(R_HEEL, R_FOOT, R_FOOT, 1.1, 0.09 * s, BodyPart.RIGHT_FEET),
            };
            // head: a disc around the ears' midpoint (the skull centre), big enough for hair
            this.headX = (x(L_EAR) + x(R_EAR) + x(NOSE)) / 3;
            this.headY = (y(L_EAR) + y(R_EAR) + y(NOSE)) / 3;
            this.headR = Math.max(0.9 * dist(L_EAR, R_EAR), 0.28 * s);
            this.midX = x(NOSE);
            this.midY = y(NOSE);
            this.midDx = x(L_EYE) - x(R_EYE);
            this.midDy = y(L_EYE) - y(R_EYE);
            this.eyeDist = Math.max(1, dist(L_EYE, R_EYE));
        }

        /** True when the torso's front faces the camera: the person's left shoulder/hip is on image right. */
        private boolean facesCamera() {
            double across = (x(L_SHOULDER) - x(R_SHOULDER)) + (x(L_HIP) - x(R_HIP));
            if (Math.abs(across) > 0.2 * scale) {
                return across > 0;
            }
            // side view: the face toward the camera has the nose nearer than the ears
            return z(NOSE) < (z(L_EAR) + z(R_EAR)) / 2;
        }

        private Capsule limb(int a, int b, double r, BodyPart frontPart, BodyPart backPart) {
            double limbZ = (z(a) + z(b)) / 2;
            return new Capsule(x(a), y(a), x(b), y(b), r, (front ? frontPart : backPart).id(),
                    limbZ < torsoZ - Z_MARGIN * scale);
        }

        /** Hand/foot: from the joint through the mean of two tip landmarks, extended by {@code reach}. */
        private Capsule extremity(int joint, int tipA, int tipB, double reach, double r, BodyPart part) {
            double tx = (x(tipA) + x(tipB)) / 2, ty = (y(tipA) + y(tipB)) / 2;
            double ex = x(joint) + (tx - x(joint)) * reach, ey = y(joint) + (ty - y(joint)) * reach;
            double z = (z(joint) + z(tipA)) / 2;
            return new Capsule(x(joint), y(joint), ex, ey, r, part.id(), z < torsoZ - Z_MARGIN * scale);
        }

        /**
         * Keeps in {@code b} the parts whose lowest score over a block (centre cx, cy; every pixel
         * centre within {@code h} of it) is not above the lowest of the parts' highest scores.
         */
        void prune(double cx, double cy, double h, Block b) {
            // a block farther from the quad's edges than its half-diagonal is wholly on one side
            double torsoD = distToQuad(torso, cx, cy);
            b.side = torsoD <= h + SLACK ? Block.Side.ACROSS : insideQuad(torso, cx, cy) ? Block.Side.IN : Block.Side.OUT;
            double torsoLow = b.side == Block.Side.OUT ? 0.9 + (torsoD - h) / (0.12 * scale) : 0.9;
            double upper = b.side == Block.Side.IN ? 0.9 : 0.9 + (torsoD + h) / (0.12 * scale);
            double[] low = b.low;
            for (int k = 0; k < limbs.length; k++) {
                Capsule c = limbs[k];
                double d = Capsule.segmentDistance(cx, cy, c.ax, c.ay, c.bx, c.by);
                boolean hidden = !c.inFront;
                low[k] = Math.max(0, d - h) / c.radius + (hidden && b.side == Block.Side.IN ? 1 : 0);
                upper = Math.min(upper, (d + h) / c.radius + (hidden && b.side != Block.Side.OUT ? 1 : 0));
            }
            double dh = length(cx - headX, cy - headY);
            upper = Math.min(upper, (dh + h) / headR);
            double bound = upper + SLACK * (1 + upper);
            b.torso = torsoLow <= bound;
            b.head = Math.max(0, dh - h) / headR <= bound;
            b.needInside = b.torso;
            b.limbCount = 0;
            for (int k = 0; k < limbs.length; k++) {
                if (low[k] <= bound) {
                    b.limbs[b.limbCount++] = k;
                    b.needInside |= !limbs[k].inFront;
                }
            }
        }

        /** The part at (px, py) among those {@code b} keeps: the first lowest score wins. */
        int classify(double px, double py, Block b) {
            if (b.single()) { // nothing to compare with
                return b.torso ? torsoId() : b.head ? faceClass(px, py) : limbs[b.limbs[0]].id;
            }
            boolean inTorso = b.side == Block.Side.IN
                    || b.side == Block.Side.ACROSS && b.needInside && insideQuad(torso, px, py);
            double best = !b.torso ? Double.POSITIVE_INFINITY
                    : inTorso ? 0.9 : distToQuad(torso, px, py) / (0.12 * scale) + 0.9;
            int id = torsoId();
            for (int k = 0; k < b.limbCount; k++) {
                Capsule c = limbs[b.limbs[k]];
                double d = c.normalizedDistance(px, py);
                if (inTorso && !c.inFront) {
                    d += 1; // hidden behind the torso
                }
                if (d < best) {
                    best = d;
                    id = c.id;
                }
            }
            if (b.head && length(px - headX, py - headY) / headR < best) {
                id = faceClass(px, py);
            }
            return id;
        }

        private int torsoId() {
            return front ? BodyPart.TORSO_FRONT.id() : BodyPart.TORSO_BACK.id();
        }

        private int faceClass(double px, double py) {
            if (detailed) {
                double r = eyeDist;
                if (near(px, py, L_EYE_IN, L_EYE_OUT, 0.22 * r)) {
                    return FaceDetail.LEFT_EYE.id();
                }
                if (near(px, py, R_EYE_IN, R_EYE_OUT, 0.22 * r)) {
                    return FaceDetail.RIGHT_EYE.id();
                }
                if (near(px, py, MOUTH_L, MOUTH_R, 0.2 * r)) {
                    return FaceDetail.MOUTH.id();
                }
                if (near(px, py, NOSE, NOSE, 0.28 * r)) {
                    return FaceDetail.NOSE.id();
                }
                if (visible(L_EAR) && near(px, py, L_EAR, L_EAR, 0.35 * r)) {
                    return FaceDetail.LEFT_EAR.id();
                }
                if (visible(R_EAR) && near(px, py, R_EAR, R_EAR, 0.35 * r)) {
                    return FaceDetail.RIGHT_EAR.id();
                }
            }
            boolean left = (px - midX) * midDx + (py - midY) * midDy > 0;
            return left ? BodyPart.LEFT_FACE.id() : BodyPart.RIGHT_FACE.id();
        }

        private boolean near(double px, double py, int a, int b, double r) {
            return Capsule.segmentDistance(px, py, x(a), y(a), x(b), y(b)) <= r;
        }

        private boolean visible(int i) {
            return lm[i * STRIDE + 3] > 0.5f;
        }

        private double x(int i) {
            return lm[i * STRIDE];
        }

        private double y(int i) {
            return lm[i * STRIDE + 1];
        }

        private double z(int i) {
            return lm[i * STRIDE + 2];
        }

        private double dist(int a, int b) {
            return Math.hypot(x(a) - x(b), y(a) - y(b));
        }
    }

    private record Capsule(double ax, double ay, double bx, double by, double radius, int id, boolean inFront) {
        double normalizedDistance(double px, double py) {
            return segmentDistance(px, py, ax, ay, bx, by) / radius;
        }

        static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
            double dx = bx - ax, dy = by - ay;
            double len2 = dx * dx + dy * dy;
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
            return length(px - (ax + t * dx), py - (ay + t * dy));
        }
    }

    /**
     * Euclidean length; not {@link Math#hypot}, whose overflow-safe StrictMath path was most of the
     * rasterizer's time (JFR) and buys nothing for pixel coordinates.
     */
    static double length(double dx, double dy) {
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** Point in a convex-or-not quad (even-odd rule). */
    static boolean insideQuad(double[] q, double px, double py) {
        boolean inside = false;
        for (int i = 0, j = 3; i < 4; j = i++) {
            double xi = q[2 * i], yi = q[2 * i + 1], xj = q[2 * j], yj = q[2 * j + 1];
            if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }

    static double distToQuad(double[] q, double px, double py) {
        double d = Double.MAX_VALUE;
        for (int i = 0, j = 3; i < 4; j = i++) {
            d = Math.min(d, Capsule.segmentDistance(px, py, q[2 * j], q[2 * j + 1], q[2 * i], q[2 * i + 1]));
        }
        return d;
    }
}
