package io.dancestream.segmentstream.quantize;

import io.dancestream.common.image.ImageCodec;
import io.dancestream.common.parts.PartSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dance quantize}: fit the colour quantizer on a folder of captured BodyPix masks, map a
 * folder of masks to class-id PNGs with previews and a report, generate labelled test masks, or
 * benchmark it.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Map captured BodyPix colour masks to class ids (k-means fitted, compiled to a lookup table).",
            "  dance quantize --fit DIR               fit on the masks in DIR, write --fit-file",
            "  dance quantize IN_DIR OUT_DIR          write OUT_DIR/ids, OUT_DIR/preview, OUT_DIR/report",
            "  dance quantize --generate N DIR        write N perturbed synthetic masks + true ids",
            "  dance quantize --benchmark             fit time, masks/s per core, accuracy vs naive"})
public final class QuantizeCommand implements Callable<Integer> {

    @Parameters(arity = "0..2", paramLabel = "DIR", description = "IN_DIR OUT_DIR (or the output DIR of --generate).")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--fit", paramLabel = "DIR", description = "Fit on the masks (PNG/JPEG) in DIR and save the fit.")
    Path fitDir;

    @Option(names = "--fit-file", paramLabel = "FILE", defaultValue = "quantizer-fit.json",
            description = "Fit to write (--fit) or use (IN_DIR OUT_DIR; fitted on IN_DIR when absent). Default: ${DEFAULT-VALUE}.")
    Path fitFile;

    @Option(names = "--no-mode-filter", description = "Skip the 3x3 mode filter on the class map.")
    boolean noModeFilter;

    @Option(names = "--generate", paramLabel = "N", description = "Write N synthetic perturbed masks to DIR/masks and their true ids to DIR/truth.")
    Integer generate;

    @Option(names = "--benchmark", description = "Fit on --masks synthetic 640x480 masks and measure mapping speed and accuracy.")
    boolean benchmark;

    @Option(names = "--masks", paramLabel = "N", defaultValue = "1600", description = "Masks for --benchmark (default ${DEFAULT-VALUE}).")
    int masks;

    @Option(names = "--part-maps", paramLabel = "DIR",
            description = "Make the --generate/--benchmark masks from the class-id PNGs in DIR (real part maps, e.g. "
                    + "segment-stream/src/test/resources/quantize/partmaps) instead of drawn layouts.")
    Path partMaps;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of --generate/--benchmark (default ${DEFAULT-VALUE}).")
    long seed;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (benchmark) {
            List<Mat> maps = loadPartMaps();
            try {
                new QuantizeBenchmark(out).run(masks, seed, generator(maps),
                        maps.isEmpty() ? "drawn layouts" : maps.size() + " part maps from " + partMaps);
            } finally {
                maps.forEach(Mat::close);
            }
            return 0;
        }
        if (generate != null) {
            if (dirs.size() != 1) {
                throw new IllegalArgumentException("--generate N takes one output DIR");
            }
            return generate(generate, dirs.get(0));
        }
        if (fitDir != null) {
            QuantizerFit fit = fitFolder(fitDir);
            fit.save(fitFile);
            out.println("fitted on " + fit.masks() + " masks (" + fit.sampleCount() + " pixels, " + fit.iterations()
                    + " iterations); wrote " + fitFile);
            return 0;
        }
        if (dirs.size() != 2) {
            throw new IllegalArgumentException("give IN_DIR OUT_DIR, or --fit DIR, --generate N DIR, --benchmark (see --help)");
        }
        return mapFolder(dirs.get(0), dirs.get(1));
    }

    static List<Path> images(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a folder: " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                    .sorted().toList();
        }
    }

    private QuantizerFit fitFolder(Path dir) throws IOException {
        ColorHistogram hist = new ColorHistogram();
        int skipped = 0;
        for (Path p : images(dir)) {
            try (Mat bgr = ImageCodec.decodeColor(Files.readAllBytes(p))) {
                hist.add(bgr);
            } catch (ImageCodec.ImageDecodeException e) {
                skipped++;
                System.err.println("skipped " + p.getFileName() + ": " + e.getMessage());
            }
        }
        if (hist.masks() == 0) {
            throw new IllegalArgumentException("no decodable PNG/JPEG masks in " + dir + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
        }
        return new PaletteKMeans().fit(hist);
    }

    private int mapFolder(Path in, Path outDir) throws IOException {
        QuantizerFit fit;
        if (Files.exists(fitFile)) {
            fit = QuantizerFit.load(fitFile);
            out.println("using " + fitFile + " (" + fit + ")");
        } else {
            fit = fitFolder(in);
            out.println("fitted on " + fit.masks() + " masks of " + in);
        }
        MaskQuantizer q = new MaskQuantizer(fit, !noModeFilter);
        Path ids = Files.createDirectories(outDir.resolve("ids"));
        Path preview = Files.createDirectories(outDir.resolve("preview"));
        Path report = Files.createDirectories(outDir.resolve("report"));
        QuantizeReport rep = new QuantizeReport();
        int done = 0;
        int failed = 0;
        for (Path p : images(in)) {
            String name = p.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".png";
            try (Mat bgr = ImageCodec.decodeColor(Files.readAllBytes(p))) {
                QuantizedMask m = q.quantize(bgr, -1, -1);
                try (Mat map = m.classMap(); Mat colour = PartSchema.colorize(map)) {
                    Files.write(ids.resolve(name), ImageCodec.encodePng(map));
                    Files.write(preview.resolve(name), ImageCodec.encodePng(colour));
                    rep.add(bgr, colour);
                }
                done++;
            } catch (ImageCodec.ImageDecodeException | MaskQuantizeException e) {
                failed++;
                System.err.println("skipped " + p.getFileName() + ": " + e.getMessage());
            }
        }
        try (Mat h = rep.greyHistograms(); Mat s = rep.rgbScatter(fit)) {
            Files.write(report.resolve("grey-histogram.png"), ImageCodec.encodePng(h));
            Files.write(report.resolve("rgb-scatter.png"), ImageCodec.encodePng(s));
        }
        fit.save(outDir.resolve("fit.json"));
        out.printf(Locale.ROOT, "mapped %d masks (%d skipped) into %s; grey values %d -> %d; report in %s%n", done, failed,
                outDir, rep.distinctGreyBefore(), rep.distinctGreyAfter(), report);
        if (done == 0) {
            throw new IllegalArgumentException("no mask in " + in + " could be mapped");
        }
        return 0;
    }

    private int generate(int n, Path dir) throws IOException {
        Path masksDir = Files.createDirectories(dir.resolve("masks"));
        Path truthDir = Files.createDirectories(dir.resolve("truth"));
        List<Mat> maps = loadPartMaps();
        try {
            writeMasks(generator(maps), n, masksDir, truthDir);
        } finally {
            maps.forEach(Mat::close);
        }
        out.println("wrote " + n + " masks to " + masksDir + " and their true class ids to " + truthDir);
        return 0;
    }

    private SyntheticMasks generator(List<Mat> maps) {
        return maps.isEmpty() ? new SyntheticMasks(seed, 640, 480)
                : SyntheticMasks.fromPartMaps(seed, maps, SyntheticMasks.Perturbation.standard());
    }

    /** The --part-maps class maps (empty without the option). */
    private List<Mat> loadPartMaps() throws IOException {
        return partMaps == null ? new ArrayList<>() : SyntheticMasks.loadPartMaps(partMaps, 640, 480);
    }

    private static void writeMasks(SyntheticMasks gen, int n, Path masksDir, Path truthDir) throws IOException {
        for (int i = 0; i < n; i++) {
            try (SyntheticMasks.Sample s = gen.next()) {
                String name = String.format(Locale.ROOT, "mask-%05d.png", i);
                Files.write(masksDir.resolve(name), ImageCodec.encodePng(s.mask()));
                Files.write(truthDir.resolve(name), ImageCodec.encodePng(s.truth()));
            }
        }
    }
}
