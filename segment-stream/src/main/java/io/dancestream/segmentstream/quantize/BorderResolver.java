package io.dancestream.segmentstream.quantize;

/**
 * Decides the unsure pixels (border blends, JPEG ringing, outlier colours; see {@link ColorLut}).
 *
 * <p>Step 1, <em>confirmation</em>: a table-sure pixel stays sure only when all 8 neighbours have
 * the same nearest class (sure or not). Along a border between two parts, bilinear scaling and
 * JPEG's half-resolution chroma give blends that can land within the sure radius of a third
 * class — the BodyPix palette is a rainbow, so the blend of two parts often looks like the part
 * between them in hue. Such a blend is a one-pixel line, never a region, so it fails
 * confirmation and cannot vote. (Measured on real part maps: without it, four of five errors
 * were a class that did not touch the pixel at all.)
 *
 * <p>Step 2, <em>resolution</em>: the candidates of an unconfirmed pixel are the classes of the
 * confirmed pixels within {@value #R} pixels (Chebyshev), searched ring by ring; the pixel takes
 * the candidate with the least colour distance to its centroid — luma weighted ×{@value
 * #LUMA_WEIGHT}, since JPEG keeps luma at full resolution and halves chroma — plus {@value
 * #RING_PENALTY} per ring beyond the first (a class further away is less likely to be the
 * pixel's). A blend of white and a foot thus becomes foot or background, never a third part
 * whose colour the blend resembles, and a thin part is not outvoted by the larger area around
 * it, as a majority vote would do. A table-sure pixel whose own class has no confirmed pixel in
 * reach (a sliver narrower than the window) keeps its class as a candidate met beyond the last
 * ring. With no candidate at all a pixel keeps its nearest class (background when it had none). Only unconfirmed pixels are searched: the bands along
 * part borders, a few percent of a mask.
 */
final class BorderResolver {

    /** Search radius (Chebyshev) for confirmed candidates. */
    static final int R = 5;
    /** Extra weight of the luma difference. */
    static final double LUMA_WEIGHT = 30;
    /** Penalty (squared colour units) per ring beyond the first. */
    static final double RING_PENALTY = 1000;

    private BorderResolver() {
    }

    /**
     * Turns table codes into class ids.
     *
     * @param bgr the mask's interleaved BGR bytes
     * @param codes the table codes (see {@link ColorLut#lookup}); left unchanged
     * @param centroids RGB centroid per class id
     * @return the number of pixels that matched no class and had no confirmed neighbour
     */
    static int resolve(byte[] bgr, byte[] codes, byte[] ids, int width, int height, double[][] centroids) {
        byte[] sure = confirm(codes, width, height);
        int unmatched = 0;
        int[] ring = new int[32];
        int[] cand = new int[32];
        for (int p = 0; p < sure.length; p++) {
            byte v = sure[p];
            if (v >= 0) {
                ids[p] = v;
                continue;
            }
            int y = p / width;
            int x = p - y * width;
            int b = bgr[3 * p] & 0xff;
            int g = bgr[3 * p + 1] & 0xff;
            int r = bgr[3 * p + 2] & 0xff;
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int d = 1; d <= R; d++) {
                double penalty = RING_PENALTY * (d - 1);
                if (penalty >= bestD) {
                    break; // no class first met this far out can win
                }
                int n = 0;
                int y0 = y - d;
                int y1 = y + d;
                int x0 = x - d;
                int x1 = x + d;
                for (int yy = Math.max(0, y0); yy <= Math.min(height - 1, y1); yy++) {
                    int row = yy * width;
                    boolean edgeRow = yy == y0 || yy == y1;
                    int step = edgeRow ? 1 : x1 - x0;
                    for (int xx = x0; xx <= x1; xx += step) {
                        if (xx < 0 || xx >= width) {
                            continue;
                        }
                        byte c = sure[row + xx];
                        if (c >= 0 && ring[c] == 0) {
                            ring[c] = d;
                            cand[n++] = c;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    int c = cand[i];
                    double[] k = centroids[c];
                    double dr = k[0] - r;
                    double dg = k[1] - g;
                    double db = k[2] - b;
                    double dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
                    double dist = dr * dr + dg * dg + db * db + LUMA_WEIGHT * dy * dy + penalty;
                    if (dist < bestD) {
                        bestD = dist;
                        best = c;
                    }
                }
            }
            byte own = codes[p];
            if (own >= 0 && ring[own] == 0) {
                // table-sure but unconfirmed, and no confirmed pixel of its class in reach: a
                // sliver narrower than the window; its own class counts as met beyond the last ring
                double[] k = centroids[own];
                double dr = k[0] - r;
                double dg = k[1] - g;
                double db = k[2] - b;
                double dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
                double dist = dr * dr + dg * dg + db * db + LUMA_WEIGHT * dy * dy + RING_PENALTY * R;
                if (dist < bestD) {
                    bestD = dist;
                    best = own;
                }
            }
            java.util.Arrays.fill(ring, 0);
            if (best >= 0) {
                ids[p] = (byte) best;
            } else {
                int c = codes[p] & ColorLut.NONE;
                if (c == ColorLut.NONE) {
                    unmatched++;
                    c = 0;
                }
                ids[p] = (byte) c;
            }
        }
        return unmatched;
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
