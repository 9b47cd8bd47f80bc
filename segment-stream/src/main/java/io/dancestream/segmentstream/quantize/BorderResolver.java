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
     * @param codes the table codes (see {@link ColorLut#lookup}); left unchanged
     * @param centroids RGB centroid per class id (the fit's)
     * @return the number of pixels that had no candidate class (made background)
     */
    static int resolve(byte[] bgr, byte[] codes, byte[] ids, int width, int height, double[][] centroids) {
        byte[] sure = confirm(codes, width, height);
        double[][] cent = maskCentroids(bgr, sure, centroids);
        int unmatched = 0;
        double[] penalty = new double[32];
        java.util.Arrays.fill(penalty, NOT_CANDIDATE);
        int[] cand = new int[32];
        for (int p = 0; p < sure.length; p++) {
            byte v = sure[p];
            if (v >= 0) {
                ids[p] = v;
                continue;
            }
            int y = p / width;
            int x = p - y * width;
            int n = 0;
            for (int d = 1; d <= R; d++) {
                int y0 = y - d;
                int y1 = y + d;
                for (int yy = Math.max(0, y0); yy <= Math.min(height - 1, y1); yy++) {
                    int row = yy * width;
                    int step = yy == y0 || yy == y1 ? 1 : 2 * d;
                    for (int xx = x - d; xx <= x + d; xx += step) {
                        if (xx < 0 || xx >= width) {
                            continue;
                        }
                        byte c = sure[row + xx];
                        if (c >= 0 && penalty[c] == NOT_CANDIDATE) {
                            penalty[c] = RING_PENALTY * (d - 1);
                            cand[n++] = c;
                        }
                    }
                }
            }
            int e = EVIDENCE_RADIUS;
            for (int yy = Math.max(0, y - e); yy <= Math.min(height - 1, y + e); yy++) {
                for (int xx = Math.max(0, x - e); xx <= Math.min(width - 1, x + e); xx++) {
                    int c = codes[yy * width + xx] & ColorLut.NONE;
                    if (c != ColorLut.NONE && penalty[c] == NOT_CANDIDATE) {
                        penalty[c] = EVIDENCE_PENALTY;
                        cand[n++] = c;
                    }
                }
            }
            int best = bestBlend(bgr, p, cand, n, penalty, cent);
            for (int i = 0; i < n; i++) {
                penalty[cand[i]] = NOT_CANDIDATE;
            }
            if (best < 0) {
                unmatched++;
                best = 0;
            }
            ids[p] = (byte) best;
        }
        return unmatched;
    }

    /** The majority class of the cheapest two-candidate blend explaining pixel {@code p}; -1 with no candidates. */
    private static int bestBlend(byte[] bgr, int p, int[] cand, int n, double[] penalty, double[][] cent) {
        double b = bgr[3 * p] & 0xff;
        double g = bgr[3 * p + 1] & 0xff;
        double r = bgr[3 * p + 2] & 0xff;
        int best = -1;
        double bestCost = NOT_CANDIDATE;
        for (int i = 0; i < n; i++) {
            int a = cand[i];
            double[] ca = cent[a];
            double er = r - ca[0];
            double eg = g - ca[1];
            double eb = b - ca[2];
            double ey = luma(er, eg, eb);
            // a pure colour (j == i) pays its penalty once
            for (int j = i; j < n; j++) {
                int c = cand[j];
                double cost = j == i ? penalty[a] : penalty[a] + penalty[c];
                if (cost >= bestCost) {
                    continue;
                }
                double alpha = 0;
                double ur = 0;
                double ug = 0;
                double ub = 0;
                if (j != i) {
                    double[] cc = cent[c];
                    ur = cc[0] - ca[0];
                    ug = cc[1] - ca[1];
                    ub = cc[2] - ca[2];
                    double uy = luma(ur, ug, ub);
                    double uu = ur * ur + ug * ug + ub * ub + LUMA_WEIGHT * uy * uy;
                    if (uu > 0) {
                        alpha = Math.max(0, Math.min(1, (er * ur + eg * ug + eb * ub + LUMA_WEIGHT * ey * uy) / uu));
                    }
                }
                double rr = er - alpha * ur;
                double rg = eg - alpha * ug;
                double rb = eb - alpha * ub;
                double ry = luma(rr, rg, rb);
                cost += rr * rr + rg * rg + rb * rb + LUMA_WEIGHT * ry * ry;
                if (cost < bestCost) {
                    bestCost = cost;
                    best = alpha < 0.5 ? a : c;
                }
            }
        }
        return best;
    }

    private static double luma(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
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
     * The codes with every sure pixel that has a neighbour of another nearest class marked
     * unsure (pixels outside the image count as agreeing).
     */
    static byte[] confirm(byte[] codes, int width, int height) {
        byte[] out = codes.clone();
        int n = codes.length;
        // near[p]: the nearest class; row[p]: near agrees with the left and right neighbour
        byte[] near = new byte[n];
        for (int p = 0; p < n; p++) {
            near[p] = (byte) (codes[p] & ColorLut.NONE);
        }
        boolean[] row = new boolean[n];
        for (int y = 0; y < height; y++) {
            int r0 = y * width;
            for (int x = 0; x < width; x++) {
                int p = r0 + x;
                byte c = near[p];
                row[p] = (x == 0 || near[p - 1] == c) && (x == width - 1 || near[p + 1] == c);
            }
        }
        for (int y = 0; y < height; y++) {
            int r0 = y * width;
            boolean top = y == 0;
            boolean bottom = y == height - 1;
            for (int x = 0; x < width; x++) {
                int p = r0 + x;
                byte v = codes[p];
                if (v < 0) {
                    continue;
                }
                boolean ok = row[p]
                        && (top || row[p - width] && near[p - width] == v)
                        && (bottom || row[p + width] && near[p + width] == v);
                if (!ok) {
                    out[p] = (byte) (v | ColorLut.UNSURE);
                }
            }
        }
        return out;
    }
}
