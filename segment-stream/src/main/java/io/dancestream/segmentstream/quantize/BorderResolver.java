package io.dancestream.segmentstream.quantize;

/**
 * Decides the unsure pixels (border blends, JPEG ringing, outlier colours; see {@link ColorLut}).
 *
 * <p>Step 1, <em>confirmation</em>: a table-sure pixel stays sure only when all 8 neighbours have
 * the same nearest class (sure or not). Along a border between two parts, bilinear scaling and
 * JPEG's half-resolution chroma give blends that can land within the sure radius of a third
 * class — the BodyPix palette is a rainbow, so the blend of two parts often looks like the part
 * between them in hue. Such a blend is a one-pixel line, never a region, so it fails
 * confirmation. (Measured on real part maps: without it, four of five errors were a class that
 * did not touch the pixel at all.)
 *
 * <p>Step 2, <em>per-mask centroids</em>: each class's colour is re-measured as the mean of this
 * mask's confirmed pixels of it (when it has at least {@value #MIN_CENTROID_PIXELS}), since a
 * capture carries its own small colour shift on top of the corpus's (±3 per channel in the test
 * masks, enough to move a front/back border decision: those parts differ by ~30).
 *
 * <p>Step 3, <em>resolution as a two-part blend</em>: an unconfirmed pixel is explained as
 * {@code (1-α)·A + α·B} for every pair of candidate classes A, B (A = B: a pure colour), α
 * clamped to [0, 1], and takes the majority member of the pair with the least cost: the
 * residual colour distance (luma weighted ×{@value #LUMA_WEIGHT}, since JPEG keeps luma at full
 * resolution and halves chroma) plus the candidates' penalties. Candidates are
 * <ul>
 *   <li>the classes of the confirmed pixels within {@value #R} pixels (Chebyshev), searched ring
 *       by ring, with {@value #RING_PENALTY} per ring beyond the first: a class further away is
 *       less likely to be the pixel's;</li>
 *   <li>the table-nearest classes of the pixels within {@value #EVIDENCE_RADIUS} ("evidence",
 *       penalty {@value #EVIDENCE_PENALTY}): a strip 1–3 pixels wide has no confirmed pixel, and
 *       without this it vanished into its neighbours.</li>
 * </ul>
 * The pair model is what keeps a blend of two parts from becoming a third part whose colour it
 * resembles, and a thin part from being outvoted by the larger area around it (a majority vote
 * would). Measured on real part maps (docs/benchmarks-quantize.md): worst class 96.9 % with the
 * previous nearest-candidate rule, 97.6 % with the pair model. A pixel with no candidate at all
 * becomes background and is counted as unmatched. Only unconfirmed pixels are searched: the
 * bands along part borders, a few percent of a mask.
 */
final class BorderResolver {

    /** Search radius (Chebyshev) for confirmed candidates. */
    static final int R = 5;
    /** Extra weight of the luma difference. */
    static final double LUMA_WEIGHT = 30;
    /** Penalty (squared colour units) per ring beyond the first. */
    static final double RING_PENALTY = 1000;
    /** Radius (Chebyshev) within which table-nearest classes are candidates too. */
    static final int EVIDENCE_RADIUS = 2;
    /** Penalty of a candidate known only from table-nearest pixels, none confirmed in reach. */
    static final double EVIDENCE_PENALTY = 10_000;
    /** Confirmed pixels a class needs in a mask before its colour is re-measured there. */
    static final int MIN_CENTROID_PIXELS = 50;

    private static final double NOT_CANDIDATE = Double.MAX_VALUE;

    private BorderResolver() {
    }

    /**
     * Turns table codes into class ids.
     *
     * @param bgr the mask's interleaved BGR bytes
     * @param codes the table codes (see {@link ColorLut#lookup}); unconfirmed pixels get the UNSURE bit
     * @param centroids RGB centroid per class id (the fit's)
     * @return the number of pixels that had no candidate class (made background)
     */
    static int resolve(byte[] bgr, byte[] codes, byte[] ids, int width, int height, double[][] centroids) {
        confirm(codes, width, height);
        byte[] sure = codes; // now: a class id where confirmed, the UNSURE bit elsewhere
        Blends blends = new Blends(maskCentroids(bgr, sure, centroids));
        int unmatched = 0;
        for (int p = 0; p < sure.length; p++) {
            byte v = sure[p];
            if (v >= 0) {
                ids[p] = v;
                continue;
            }
            int y = p / width;
            int x = p - y * width;
            blends.start(bgr, p);
            // ring 1 and the evidence first; further rings only while they could still win
            ring(blends, sure, x, y, 1, width, height);
            int e = EVIDENCE_RADIUS;
            for (int yy = Math.max(0, y - e); yy <= Math.min(height - 1, y + e); yy++) {
                for (int xx = Math.max(0, x - e); xx <= Math.min(width - 1, x + e); xx++) {
                    int c = codes[yy * width + xx] & ColorLut.NONE;
                    if (c != ColorLut.NONE) {
                        blends.offer(c, EVIDENCE_PENALTY);
                    }
                }
            }
            for (int d = 2; d <= R && RING_PENALTY * (d - 1) < blends.bestCost; d++) {
                ring(blends, sure, x, y, d, width, height);
            }
            int best = blends.finish();
            if (best < 0) {
                unmatched++;
                best = 0;
            }
            ids[p] = (byte) best;
        }
        return unmatched;
    }

    /** Offers the classes of the confirmed pixels on ring {@code d} around (x, y). */
    private static void ring(Blends blends, byte[] sure, int x, int y, int d, int width, int height) {
        double penalty = RING_PENALTY * (d - 1);
        int y0 = y - d;
        int y1 = y + d;
        for (int yy = Math.max(0, y0); yy <= Math.min(height - 1, y1); yy++) {
            int row = yy * width;
            int step = yy == y0 || yy == y1 ? 1 : 2 * d;
            for (int xx = x - d; xx <= x + d; xx += step) {
                if (xx >= 0 && xx < width) {
                    byte c = sure[row + xx];
                    if (c >= 0) {
                        blends.offer(c, penalty);
                    }
                }
            }
        }
    }

    /**
     * The cheapest two-candidate blend for one pixel at a time. Candidates arrive with penalties
     * that only fall; each arrival or fall re-scores that candidate's pairs, so the result is the
     * minimum over all pairs at their final penalties, however the candidates were found.
     */
    private static final class Blends {
        private final double[][] cent;
        /** Per ordered pair at (a*K+c)*5: the colour step c - a (r, g, b, luma) and 1 / its weighted square. */
        private final double[] step;
        private final double[] penalty = new double[32];
        private final int[] cand = new int[32];
        private int n;
        private double r;
        private double g;
        private double b;
        double bestCost;
        private int best;

        Blends(double[][] cent) {
            this.cent = cent;
            int k = cent.length;
            step = new double[k * k * 5];
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < k; c++) {
                    double ur = cent[c][0] - cent[a][0];
                    double ug = cent[c][1] - cent[a][1];
                    double ub = cent[c][2] - cent[a][2];
                    double uy = BgrPixels.luma(ur, ug, ub);
                    double uu = ur * ur + ug * ug + ub * ub + LUMA_WEIGHT * uy * uy;
                    int o = (a * k + c) * 5;
                    step[o] = ur;
                    step[o + 1] = ug;
                    step[o + 2] = ub;
                    step[o + 3] = uy;
                    step[o + 4] = uu > 0 ? 1 / uu : 0;
                }
            }
            java.util.Arrays.fill(penalty, NOT_CANDIDATE);
        }

        void start(byte[] bgr, int p) {
            b = bgr[3 * p] & 0xff;
            g = bgr[3 * p + 1] & 0xff;
            r = bgr[3 * p + 2] & 0xff;
            bestCost = NOT_CANDIDATE;
            best = -1;
        }

        void offer(int c, double pen) {
            double old = penalty[c];
            if (pen >= old) {
                return;
            }
            penalty[c] = pen;
            if (old == NOT_CANDIDATE) {
                cand[n++] = c;
            }
            if (pen >= bestCost) {
                return; // every pair with c costs at least its penalty
            }
            score(c, c);
            for (int i = 0; i < n; i++) {
                if (cand[i] != c) {
                    score(c, cand[i]);
                }
            }
        }

        private void score(int a, int c) {
            double cost = a == c ? penalty[a] : penalty[a] + penalty[c];
            if (cost >= bestCost) {
                return;
            }
            double[] ca = cent[a];
            double er = r - ca[0];
            double eg = g - ca[1];
            double eb = b - ca[2];
            double alpha = 0;
            if (a != c) {
                double[] u = step;
                int o = (a * cent.length + c) * 5;
                double ey = BgrPixels.luma(er, eg, eb);
                alpha = Math.max(0, Math.min(1, (er * u[o] + eg * u[o + 1] + eb * u[o + 2] + LUMA_WEIGHT * ey * u[o + 3]) * u[o + 4]));
                er -= alpha * u[o];
                eg -= alpha * u[o + 1];
                eb -= alpha * u[o + 2];
            }
            double ry = BgrPixels.luma(er, eg, eb);
            cost += er * er + eg * eg + eb * eb + LUMA_WEIGHT * ry * ry;
            if (cost < bestCost) {
                bestCost = cost;
                best = alpha < 0.5 ? a : c;
            }
        }

        /** The winning class (-1 with no candidates); resets the candidates. */
        int finish() {
            for (int i = 0; i < n; i++) {
                penalty[cand[i]] = NOT_CANDIDATE;
            }
            n = 0;
            return best;
        }
    }

    /** RGB centroids re-measured on this mask's confirmed pixels; the fit's for classes with too few. */
    static double[][] maskCentroids(byte[] bgr, byte[] sure, double[][] fit) {
        int k = fit.length;
        double[][] sum = new double[k][3];
        long[] count = new long[k];
        for (int p = 0; p < sure.length; p++) {
            int c = sure[p];
            if (c >= 0 && c < k) {
                sum[c][0] += bgr[3 * p + 2] & 0xff;
                sum[c][1] += bgr[3 * p + 1] & 0xff;
                sum[c][2] += bgr[3 * p] & 0xff;
                count[c]++;
            }
        }
        double[][] out = new double[k][];
        for (int c = 0; c < k; c++) {
            long m = count[c];
            out[c] = m >= MIN_CENTROID_PIXELS ? new double[] {sum[c][0] / m, sum[c][1] / m, sum[c][2] / m} : fit[c];
        }
        return out;
    }

    /**
     * Marks, in place, every sure pixel that has a neighbour of another nearest class unsure
     * (pixels outside the image count as agreeing). The class bits stay, so {@code codes[p] &
     * NONE} is still each pixel's nearest class afterwards.
     */
    static void confirm(byte[] codes, int width, int height) {
        // row[x] of the previous, current and next image row: the pixel's nearest class agrees
        // with its left and right neighbour; three rows, rolled, so no mask-sized buffer
        boolean[][] rows = {new boolean[width], new boolean[width], new boolean[width]};
        agreesAlongRow(codes, 0, width, rows[1]);
        for (int y = 0; y < height; y++) {
            boolean[] above = rows[0];
            boolean[] here = rows[1];
            boolean[] below = rows[2];
            if (y + 1 < height) {
                agreesAlongRow(codes, (y + 1) * width, width, below);
            }
            int r0 = y * width;
            for (int x = 0; x < width; x++) {
                int p = r0 + x;
                byte v = codes[p];
                if (v < 0) {
                    continue;
                }
                // the row above was already marked, but its class bits are intact
                boolean ok = here[x]
                        && (y == 0 || above[x] && (codes[p - width] & ColorLut.NONE) == v)
                        && (y == height - 1 || below[x] && (codes[p + width] & ColorLut.NONE) == v);
                if (!ok) {
                    codes[p] = (byte) (v | ColorLut.UNSURE);
                }
            }
            rows[0] = here;
            rows[1] = below;
            rows[2] = above;
        }
    }

    private static void agreesAlongRow(byte[] codes, int r0, int width, boolean[] out) {
        for (int x = 0; x < width; x++) {
            int c = codes[r0 + x] & ColorLut.NONE;
            out[x] = (x == 0 || (codes[r0 + x - 1] & ColorLut.NONE) == c)
                    && (x == width - 1 || (codes[r0 + x + 1] & ColorLut.NONE) == c);
        }
    }
}
