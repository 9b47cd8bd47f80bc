package io.dancestream.segmentstream.quantize;

/**
 * A 3x3 mode (majority) filter over a class map: removes the one- and two-pixel speckle that
 * JPEG ringing leaves along part borders. A pixel whose 4-neighbours all share its id is kept
 * as is (the fast path: most pixels lie inside a part); otherwise it takes the most frequent id
 * of its 3x3 window when at least {@value #MIN_VOTES} of the 9 pixels have it, and keeps its own
 * id otherwise (and on a tie). The vote floor keeps corners and the ends of thin strips, which a
 * plain mode filter rounds off: on real part maps the plain filter cost 0.4 points on the worst
 * class once {@link BorderResolver} had removed most speckle. Image-edge pixels are kept.
 */
public final class ModeFilter {

    /** Votes (of 9) another id needs to replace a pixel's own. */
    static final int MIN_VOTES = 6;

    private ModeFilter() {
    }

    /** Filters {@code ids} (row-major, width x height) into a new array. */
    public static byte[] apply(byte[] ids, int width, int height) {
        byte[] out = ids.clone();
        int[] counts = new int[256];
        int[] window = new int[9];
        for (int y = 1; y < height - 1; y++) {
            int row = y * width;
            for (int x = 1; x < width - 1; x++) {
                int p = row + x;
                byte c = ids[p];
                if (ids[p - 1] == c && ids[p + 1] == c && ids[p - width] == c && ids[p + width] == c) {
                    continue;
                }
                int n = 0;
                for (int dy = -width; dy <= width; dy += width) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int v = ids[p + dy + dx] & 0xff;
                        counts[v]++;
                        window[n++] = v;
                    }
                }
                int self = c & 0xff;
                int best = self;
                int bestCount = counts[self];
                for (int i = 0; i < 9; i++) {
                    int v = window[i];
                    if (counts[v] > bestCount) {
                        best = v;
                        bestCount = counts[v];
                    }
                }
                for (int i = 0; i < 9; i++) {
                    counts[window[i]] = 0;
                }
                if (bestCount >= MIN_VOTES) {
                    out[p] = (byte) best;
                }
            }
        }
        return out;
    }
}
