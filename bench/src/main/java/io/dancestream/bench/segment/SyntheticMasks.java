package io.dancestream.bench.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.fillConvexPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.BodyPart;
import io.dancestream.common.parts.PartSchema;
import io.dancestream.segmentstream.quantize.BgrPixels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Labelled test masks for the quantizer: a body-shaped part layout (head split into left/right
 * face, limbs split lengthwise into front/back strips as BodyPix draws them, hands, feet, torso)
 * in a random pose, coloured with BodyPix's palette and perturbed the way a captured browser mask
 * is: a 0.9–1.1 rescale and back with bilinear resampling, a small colour shift (a systematic one
 * per corpus, as a display colour profile would give, plus ±3 per mask), JPEG at quality 60–90,
 * then ±8 per-channel noise. Deterministic for a seed.
 *
 * <p>{@link #fromPartMaps} takes the layouts from real part maps (the segmenter's class maps)
 * instead of drawing them; the accuracy test's main corpus. The drawn limbs are thinner than real
 * ones (upper arms ~9 px vs 15–18 px at 640x480; docs/benchmarks-quantize.md).
 */
public final class SyntheticMasks {

    /** The true class map (CV_8UC1) and the perturbed colour mask (BGR) of one sample; close both. */
    public record Sample(Mat truth, Mat mask, int jpegQuality, double scale) implements AutoCloseable {
        @Override
        public void close() {
            truth.close();
            mask.close();
        }
    }

    /**
     * The capture perturbations. {@link #standard()} is issue 5's: JPEG 60–90, ±8 noise, 0.9–1.1
     * rescale, a shift of up to ±8 per channel per corpus and ±3 per mask.
     */
    public record Perturbation(int jpegMin, int jpegMax, int noise, double scaleMin, double scaleMax,
                               int corpusShift, int maskShift) {
        public static Perturbation standard() {
            return new Perturbation(60, 90, 8, 0.9, 1.1, 8, 3);
        }

        public static Perturbation none() {
            return new Perturbation(0, 0, 0, 1, 1, 0, 0);
        }
    }

    private final SplittableRandom rnd;
    private final Perturbation perturbation;
    private final int width;
    private final int height;
    private final int[] corpusShift;
    private final List<Mat> partMaps;

    public SyntheticMasks(long seed, int width, int height) {
        this(seed, width, height, Perturbation.standard());
    }

    public SyntheticMasks(long seed, int width, int height, Perturbation perturbation) {
        this(seed, width, height, perturbation, List.of());
    }

    /**
     * Masks from real part maps (class-id maps of the segmenter's output, {@code width x height},
     * CV_8UC1) instead of drawn layouts: each sample takes one map at random, mirrors it with a
     * left/right swap half the time ({@link PartSchema#mirror}), scales it by 0.9–1.1 about the
     * centre and shifts it by up to ±5 % of the frame (nearest-neighbour, so ids are never
     * blended), then renders and perturbs it like a drawn layout. The maps stay the caller's.
     */
    public static SyntheticMasks fromPartMaps(long seed, List<Mat> partMaps, Perturbation perturbation) {
        if (partMaps.isEmpty()) {
            throw new IllegalArgumentException("no part maps");
        }
        Mat first = partMaps.get(0);
        for (Mat m : partMaps) {
            if (m.cols() != first.cols() || m.rows() != first.rows() || m.type() != CV_8UC1) {
                throw new IllegalArgumentException("part maps must all be CV_8UC1 of one size");
            }
        }
        return new SyntheticMasks(seed, first.cols(), first.rows(), perturbation, partMaps);
    }

    /**
     * The class-id PNGs of a folder (sorted by name), read as {@code width x height} CV_8UC1 maps
     * for {@link #fromPartMaps}; the caller closes them.
     *
     * @throws IllegalArgumentException when a PNG is not such a map or the folder has none
     */
    public static List<Mat> loadPartMaps(Path dir, int width, int height) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList();
        }
        List<Mat> maps = new ArrayList<>();
        for (Path f : files) {
            Mat m = opencv_imgcodecs.imread(f.toString(), opencv_imgcodecs.IMREAD_GRAYSCALE);
            if (m.empty() || m.cols() != width || m.rows() != height) {
                m.close();
                maps.forEach(Mat::close);
                throw new IllegalArgumentException("part map " + f + " is not a " + width + "x" + height + " class-id PNG");
            }
            maps.add(m);
        }
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("no class-id PNG in " + dir);
        }
        return maps;
    }

    private SyntheticMasks(long seed, int width, int height, Perturbation perturbation, List<Mat> partMaps) {
        this.partMaps = List.copyOf(partMaps);
        this.rnd = new SplittableRandom(seed);
        this.perturbation = perturbation;
        this.width = width;
        this.height = height;
        int cs = perturbation.corpusShift();
        this.corpusShift = new int[] {rnd.nextInt(-cs, cs + 1), rnd.nextInt(-cs, cs + 1), rnd.nextInt(-cs, cs + 1)};
    }

    public Sample next() {
        Mat truth = layout();
        Perturbation p = perturbation;
        int quality = p.jpegMax() <= 0 ? 0 : rnd.nextInt(p.jpegMin(), p.jpegMax() + 1);
        double scale = p.scaleMin() + (p.scaleMax() - p.scaleMin()) * rnd.nextDouble();
        return new Sample(truth, perturb(truth, quality, scale), quality, scale);
    }

    /** A random body layout of class ids, frame-sized: drawn, or a varied real part map. */
    public Mat layout() {
        if (!partMaps.isEmpty()) {
            return variedPartMap();
        }
        Mat ids = new Mat(height, width, CV_8UC1, new Scalar(0));
        double u = height * (0.75 + 0.2 * rnd.nextDouble()) / 8; // head-height unit
        double top = (height - 8 * u) / 2 + (rnd.nextDouble() - 0.5) * 0.3 * u;
        double cx = width * (0.3 + 0.4 * rnd.nextDouble());
        boolean front = rnd.nextDouble() < 0.7;
        int side = front ? 1 : -1; // image x direction of the person's left
        double shY = top + 1.35 * u;
        double hipY = top + 3.9 * u;
        double shW = 0.9 * u;
        double hipW = 0.55 * u;

        // legs, then torso, then arms over it, then head
        for (String s : new String[] {"LEFT", "RIGHT"}) {
            int dir = s.equals("LEFT") ? side : -side;
            double a = Math.toRadians(-5 + 40 * rnd.nextDouble());
            double[] hip = {cx + dir * hipW, hipY};
            double[] knee = {hip[0] + dir * Math.sin(a) * 2 * u, hip[1] + Math.cos(a) * 2 * u};
            double b = a + Math.toRadians(-15 + 50 * rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1);
            double[] ankle = {knee[0] + dir * Math.sin(b) * 1.9 * u, knee[1] + Math.cos(b) * 1.9 * u};
            limb(ids, hip, knee, 0.75 * u, part(s + "_UPPER_LEG_FRONT"), part(s + "_UPPER_LEG_BACK"));
            limb(ids, knee, ankle, 0.55 * u, part(s + "_LOWER_LEG_FRONT"), part(s + "_LOWER_LEG_BACK"));
            ellipse(ids, new Point((int) (ankle[0] + dir * 0.2 * u), (int) (ankle[1] + 0.1 * u)),
                    new Size((int) (0.4 * u), (int) (0.17 * u)), 0, 0, 360, id(part(s + "_FEET")), FILLED, LINE_8, 0);
        }
        BodyPart torso = front ? BodyPart.TORSO_FRONT : BodyPart.TORSO_BACK;
        poly(ids, torso, new double[][] {{cx - shW, shY}, {cx + shW, shY}, {cx + hipW * 1.15, hipY + 0.2 * u},
            {cx - hipW * 1.15, hipY + 0.2 * u}});
        if (rnd.nextDouble() < 0.5) { // a strip of the other torso side, as in turned poses
            double e = rnd.nextBoolean() ? 1 : -1;
            poly(ids, front ? BodyPart.TORSO_BACK : BodyPart.TORSO_FRONT, new double[][] {
                {cx + e * shW, shY}, {cx + e * (shW - 0.35 * u), shY}, {cx + e * (hipW * 1.15 - 0.3 * u), hipY + 0.2 * u},
                {cx + e * hipW * 1.15, hipY + 0.2 * u}});
        }
        for (String s : new String[] {"LEFT", "RIGHT"}) {
            int dir = s.equals("LEFT") ? side : -side;
            double a = Math.toRadians(-10 + 150 * rnd.nextDouble());
            double[] sh = {cx + dir * shW, shY + 0.1 * u};
            double[] elbow = {sh[0] + dir * Math.sin(a) * 1.5 * u, sh[1] + Math.cos(a) * 1.5 * u};
            double b = a + Math.toRadians(120 * rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1);
            double[] dirF = {dir * Math.sin(b), Math.cos(b)};
            double[] wrist = {elbow[0] + dirF[0] * 1.3 * u, elbow[1] + dirF[1] * 1.3 * u};
            limb(ids, sh, elbow, 0.5 * u, part(s + "_UPPER_ARM_FRONT"), part(s + "_UPPER_ARM_BACK"));
            limb(ids, elbow, wrist, 0.42 * u, part(s + "_LOWER_ARM_FRONT"), part(s + "_LOWER_ARM_BACK"));
            double ang = Math.toDegrees(Math.atan2(dirF[1], dirF[0]));
            ellipse(ids, new Point((int) (wrist[0] + dirF[0] * 0.3 * u), (int) (wrist[1] + dirF[1] * 0.3 * u)),
                    new Size((int) (0.38 * u), (int) (0.26 * u)), ang, 0, 360, id(part(s + "_HAND")), FILLED, LINE_8, 0);
        }
        // head: the person's left face is on the image side of their left
        Point head = new Point((int) cx, (int) (top + 0.55 * u));
        Size axes = new Size((int) (0.4 * u), (int) (0.55 * u));
        double tilt = -12 + 24 * rnd.nextDouble();
        ellipse(ids, head, axes, tilt, -90, 90, id(side > 0 ? BodyPart.LEFT_FACE : BodyPart.RIGHT_FACE), FILLED, LINE_8, 0);
        ellipse(ids, head, axes, tilt, 90, 270, id(side > 0 ? BodyPart.RIGHT_FACE : BodyPart.LEFT_FACE), FILLED, LINE_8, 0);
        return ids;
    }

    private Mat variedPartMap() {
        Mat src = partMaps.get(rnd.nextInt(partMaps.size()));
        Mat base = rnd.nextBoolean() ? PartSchema.mirror(src) : src.clone();
        double s = 0.9 + 0.2 * rnd.nextDouble();
        double tx = (rnd.nextDouble() - 0.5) * 0.1 * width;
        double ty = (rnd.nextDouble() - 0.5) * 0.1 * height;
        Mat m = new Mat(2, 3, opencv_core.CV_64F);
        try (DoubleIndexer ix = m.createIndexer()) {
            ix.put(0, 0, s, 0, (1 - s) * width / 2 + tx);
            ix.put(1, 0, 0, s, (1 - s) * height / 2 + ty);
        }
        Mat out = new Mat();
        try (Size size = new Size(width, height); Scalar zero = new Scalar(0)) {
            warpAffine(base, out, m, size, INTER_NEAREST, opencv_core.BORDER_CONSTANT, zero);
        }
        base.close();
        m.close();
        return out;
    }

    /** Colours a class map with the palette and applies the capture perturbations. */
    public Mat perturb(Mat ids, int jpegQuality, double scale) {
        Mat colour = PartSchema.colorize(ids);
        if (scale != 1.0) {
            Mat small = new Mat();
            resize(colour, small, new Size((int) Math.round(width * scale), (int) Math.round(height * scale)), 0, 0,
                    INTER_LINEAR);
            resize(small, colour, new Size(width, height), 0, 0, INTER_LINEAR);
            small.close();
        }
        byte[] bgr = BgrPixels.bytes(colour);
        colour.close();
        int[] shift = new int[3];
        for (int c = 0; c < 3; c++) { // corpusShift is RGB, bgr is BGR
            int ms = perturbation.maskShift();
            shift[2 - c] = corpusShift[c] + rnd.nextInt(-ms, ms + 1);
        }
        for (int i = 0; i < bgr.length; i++) {
            bgr[i] = clamp((bgr[i] & 0xff) + shift[i % 3]);
        }
        Mat decoded = BgrPixels.bgr(bgr, width, height);
        if (jpegQuality > 0) {
            byte[] jpeg = ImageCodec.encodeJpeg(decoded, jpegQuality);
            decoded.close();
            decoded = ImageCodec.decodeColor(jpeg);
        }
        byte[] px = BgrPixels.bytes(decoded);
        int noise = perturbation.noise();
        for (int i = 0; i < px.length && noise > 0; i++) {
            px[i] = clamp((px[i] & 0xff) + rnd.nextInt(2 * noise + 1) - noise);
        }
        decoded.data().put(px, 0, px.length);
        return decoded;
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }

    private static BodyPart part(String name) {
        return BodyPart.valueOf(name);
    }

    private static Scalar id(BodyPart p) {
        return new Scalar(p.id());
    }

    /** A limb segment as two lengthwise strips (front, back), split at a random point. */
    private void limb(Mat ids, double[] a, double[] b, double width, BodyPart first, BodyPart second) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double len = Math.hypot(dx, dy);
        double ux = dx / len;
        double uy = dy / len;
        double nx = -uy;
        double ny = ux;
        // overlap the joints a little so consecutive segments connect
        double[] a2 = {a[0] - ux * 0.1 * width, a[1] - uy * 0.1 * width};
        double[] b2 = {b[0] + ux * 0.1 * width, b[1] + uy * 0.1 * width};
        double split = -width / 2 + width * (0.35 + 0.3 * rnd.nextDouble());
        boolean swap = rnd.nextBoolean();
        BodyPart p1 = swap ? second : first;
        BodyPart p2 = swap ? first : second;
        poly(ids, p1, new double[][] {
            {a2[0] - nx * width / 2, a2[1] - ny * width / 2}, {b2[0] - nx * width / 2, b2[1] - ny * width / 2},
            {b2[0] + nx * split, b2[1] + ny * split}, {a2[0] + nx * split, a2[1] + ny * split}});
        poly(ids, p2, new double[][] {
            {a2[0] + nx * split, a2[1] + ny * split}, {b2[0] + nx * split, b2[1] + ny * split},
            {b2[0] + nx * width / 2, b2[1] + ny * width / 2}, {a2[0] + nx * width / 2, a2[1] + ny * width / 2}});
    }

    private static void poly(Mat ids, BodyPart part, double[][] pts) {
        try (Point p = new Point(pts.length)) {
            for (int i = 0; i < pts.length; i++) {
                p.position(i).x((int) Math.round(pts[i][0])).y((int) Math.round(pts[i][1]));
            }
            p.position(0);
            fillConvexPoly(ids, p, pts.length, id(part), LINE_8, 0);
        }
    }
}
