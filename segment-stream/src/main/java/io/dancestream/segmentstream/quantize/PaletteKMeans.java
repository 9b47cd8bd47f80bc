package io.dancestream.segmentstream.quantize;

import io.dancestream.common.parts.BodyPart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * k-means (k = 25) over a {@link ColorHistogram}, started from BodyPix's palette.
 *
 * <p>Why a hand-written Lloyd step and not a library: the fit must start at the palette and keep
 * centroid i tied to class i. Apache Commons Math 3's {@code KMeansPlusPlusClusterer} only seeds
 * with k-means++ (random, no user-given centres), wants one {@code Clusterable} object per
 * point and is in maintenance since 2016; Smile is GPL-3.0. The step needed here is twenty
 * lines over a few thousand weighted histogram bins, and it adds two things the libraries lack:
 * weights (bin counts) and trimming: only colours within {@link #DEFAULT_UPDATE_RADIUS} of a
 * centre move it, so border blends, photos or UI chrome in a capture do not drag a centroid.
 */
public final class PaletteKMeans {

    /** Colours farther than this (RGB Euclidean) from every centroid are outliers, not a class. */
    public static final double DEFAULT_MAX_DISTANCE = 80;

    /**
     * Only colours this close to a centroid move it. Blends along part borders (JPEG chroma
     * subsampling, bilinear scaling) lie between classes; counted in, they drag a small class's
     * centroid towards a big neighbour until the neighbour takes it over.
     */
    public static final double DEFAULT_UPDATE_RADIUS = 30;

    private final int maxIterations;
    private final double tolerance;
    private final double updateRadius;

    public PaletteKMeans() {
        this(100, 0.01, DEFAULT_UPDATE_RADIUS);
    }

    public PaletteKMeans(int maxIterations, double tolerance, double updateRadius) {
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.updateRadius = updateRadius;
    }

    /** Fits starting from BodyPix's palette. */
    public QuantizerFit fit(ColorHistogram hist) {
        return fit(hist, QuantizerFit.palette().centroids());
    }

    /** Fits starting from given centroids (a previous fit, for online re-fitting). */
    public QuantizerFit fit(ColorHistogram hist, double[][] start) {
        // the weighted points: mean colour and pixel count of every occupied bin
        int n = 0;
        for (long c : hist.count) {
            if (c > 0) {
                n++;
            }
        }
        double[] pr = new double[n];
        double[] pg = new double[n];
        double[] pb = new double[n];
        long[] w = new long[n];
        int j = 0;
        for (int k = 0; k < ColorHistogram.BINS; k++) {
            long c = hist.count[k];
            if (c > 0) {
                pr[j] = (double) hist.sumR[k] / c;
                pg[j] = (double) hist.sumG[k] / c;
                pb[j] = (double) hist.sumB[k] / c;
                w[j] = c;
                j++;
            }
        }
        int k = start.length;
        double[][] cent = new double[k][];
        for (int i = 0; i < k; i++) {
            cent[i] = start[i].clone();
        }
        double maxD2 = updateRadius * updateRadius;
        long[] members = new long[k];
        int iter = 0;
        while (iter < maxIterations) {
            iter++;
            double[][] sum = new double[k][3];
            Arrays.fill(members, 0);
            for (int p = 0; p < n; p++) {
                int best = nearest(cent, pr[p], pg[p], pb[p], maxD2);
                if (best < 0) {
                    continue; // outlier: trimmed
                }
                sum[best][0] += pr[p] * w[p];
                sum[best][1] += pg[p] * w[p];
                sum[best][2] += pb[p] * w[p];
                members[best] += w[p];
            }
            double moved = 0;
            for (int i = 0; i < k; i++) {
                if (members[i] == 0) {
                    continue; // a class absent from the corpus keeps its colour
                }
                double[] next = {sum[i][0] / members[i], sum[i][1] / members[i], sum[i][2] / members[i]};
                moved = Math.max(moved, Math.sqrt(dist2(cent[i], next[0], next[1], next[2])));
                cent[i] = next;
            }
            if (moved < tolerance) {
                break;
            }
        }
        int[] classOf = matchToPalette(cent, start);
        double[][] byClass = new double[k][];
        long[] pixels = new long[k];
        for (int i = 0; i < k; i++) {
            byClass[classOf[i]] = cent[i];
            pixels[classOf[i]] = members[i];
        }
        return new QuantizerFit(byClass, pixels, hist.pixels(), hist.masks(), iter, Instant.now().toString());
    }

    static int nearest(double[][] cent, double r, double g, double b, double maxD2) {
        int best = -1;
        double bestD = maxD2;
        for (int i = 0; i < cent.length; i++) {
            double d = dist2(cent[i], r, g, b);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private static double dist2(double[] c, double r, double g, double b) {
        double dr = c[0] - r;
        double dg = c[1] - g;
        double db = c[2] - b;
        return dr * dr + dg * dg + db * db;
    }

    /**
     * One-to-one assignment of centroids to palette classes: greedy over the pairs by increasing
     * distance. Started at the palette, centroids normally stay next to their seed (the identity);
     * the matching is the guard that two centroids never claim the same class.
     */
    static int[] matchToPalette(double[][] cent, double[][] palette) {
        int k = cent.length;
        List<int[]> pairs = new ArrayList<>(k * k);
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < k; c++) {
                pairs.add(new int[] {i, c});
            }
        }
        pairs.sort((a, b) -> Double.compare(
                dist2(cent[a[0]], palette[a[1]][0], palette[a[1]][1], palette[a[1]][2]),
                dist2(cent[b[0]], palette[b[1]][0], palette[b[1]][1], palette[b[1]][2])));
        int[] classOf = new int[k];
        Arrays.fill(classOf, -1);
        boolean[] taken = new boolean[k];
        for (int[] p : pairs) {
            if (classOf[p[0]] < 0 && !taken[p[1]]) {
                classOf[p[0]] = p[1];
                taken[p[1]] = true;
            }
        }
        return classOf;
    }

    static int classes() {
        return BodyPart.COUNT;
    }
}
