package io.dancestream.segmentstream.quantize;

/**
 * Decides the unsure pixels (border blends, JPEG ringing, outlier colours; see {@link ColorLut}):
 * the candidates are the classes of the sure pixels in the pixel's 7x7 window, and the pixel
 * takes the candidate whose centroid is nearest its colour. A blend of white and a foot thus
 * becomes foot or background — never a third part whose colour the blend happens to resemble —
 * and a thin part is not outvoted by the larger area around it, as a majority vote would do.
 * With no sure neighbour a pixel keeps its nearest class (background when it had none). Only
 * unsure pixels are visited: a few percent of a mask, along part borders.
 */
final class BorderResolver {

    private static final int R = 3;
    /** Extra weight of the luma difference (measured best around 30 on JPEG 60–90 masks). */
    static final double LUMA_WEIGHT = 30;

    private BorderResolver() {
    }

    /**
     * Turns table codes into class ids.
     *
     * @param bgr the mask's interleaved BGR bytes
     * @param centroids RGB centroid per class id
     * @return the number of pixels that matched no class and had no sure neighbour
     */
    static int resolve(byte[] bgr, byte[] codes, byte[] ids, int width, int height, double[][] centroids) {
        int unmatched = 0;
        boolean[] seen = new boolean[32];
        int[] cand = new int[32];
        for (int p = 0; p < codes.length; p++) {
            byte v = codes[p];
            if (v >= 0) {
                ids[p] = v;
                continue;
            }
            int y = p / width;
            int x = p - y * width;
            // fast path: noise pushed an inside pixel out of the sure radius; its 4 neighbours agree
            if (x > 0 && x < width - 1 && y > 0 && y < height - 1) {
                byte l = codes[p - 1];
                if (l >= 0 && codes[p + 1] == l && codes[p - width] == l && codes[p + width] == l) {
                    ids[p] = l;
                    continue;
                }
            }
            int n = 0;
            int y0 = Math.max(0, y - R);
            int y1 = Math.min(height - 1, y + R);
            int x0 = Math.max(0, x - R);
            int x1 = Math.min(width - 1, x + R);
            for (int yy = y0; yy <= y1; yy++) {
                int row = yy * width;
                for (int xx = x0; xx <= x1; xx++) {
                    byte c = codes[row + xx];
                    if (c >= 0 && !seen[c]) {
                        seen[c] = true;
                        cand[n++] = c;
                    }
                }
            }
            if (n > 0) {
                int b = bgr[3 * p] & 0xff;
                int g = bgr[3 * p + 1] & 0xff;
                int r = bgr[3 * p + 2] & 0xff;
                int best = cand[0];
                double bestD = Double.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    int c = cand[i];
                    seen[c] = false;
                    double[] k = centroids[c];
                    double dr = k[0] - r;
                    double dg = k[1] - g;
                    double db = k[2] - b;
                    // JPEG keeps luma at full resolution and halves chroma: weight luma up
                    double dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
                    double d = dr * dr + dg * dg + db * db + LUMA_WEIGHT * dy * dy;
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                ids[p] = (byte) best;
            } else {
                int c = v & ColorLut.NONE;
                if (c == ColorLut.NONE) {
                    unmatched++;
                    c = 0;
                }
                ids[p] = (byte) c;
            }
        }
        return unmatched;
    }
}
