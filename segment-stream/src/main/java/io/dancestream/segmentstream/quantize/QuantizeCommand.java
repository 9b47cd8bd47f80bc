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
 * folder of masks to class-id PNGs with previews and a report. Generating labelled test masks and
 * the benchmark are {@code dance bench quantize}.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Map captured BodyPix colour masks to class ids (k-means fitted, compiled to a lookup table).",
            "  dance quantize --fit DIR               fit on the masks in DIR, write --fit-file",
            "  dance quantize IN_DIR OUT_DIR          write OUT_DIR/ids, OUT_DIR/preview, OUT_DIR/report",
            "  dance bench quantize --generate N DIR  write N perturbed synthetic masks + true ids",
            "  dance bench quantize                   fit time, masks/s per core, accuracy vs naive"})
public final class QuantizeCommand implements Callable<Integer> {

    @Parameters(arity = "0..2", paramLabel = "DIR", description = "IN_DIR OUT_DIR.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--fit", paramLabel = "DIR", description = "Fit on the masks (PNG/JPEG) in DIR and save the fit.")
    Path fitDir;

    @Option(names = "--fit-file", paramLabel = "FILE", defaultValue = "quantizer-fit.json",
            description = "Fit to write (--fit) or use (IN_DIR OUT_DIR; fitted on IN_DIR when absent). Default: ${DEFAULT-VALUE}.")
    Path fitFile;

    @Option(names = "--no-mode-filter", description = "Skip the 3x3 mode filter on the class map.")
    boolean noModeFilter;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (fitDir != null) {
            QuantizerFit fit = fitFolder(fitDir);
            fit.save(fitFile);
            out.println("fitted on " + fit.masks() + " masks (" + fit.sampleCount() + " pixels, " + fit.iterations()
                    + " iterations); wrote " + fitFile);
            return 0;
        }
        if (dirs.size() != 2) {
            throw new IllegalArgumentException("give IN_DIR OUT_DIR, or --fit DIR (see --help)");
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
                    Files.write(ids.resolve(name), ImageCodec.encodeLabelPng(map));
                    Files.write(preview.resolve(name), ImageCodec.encodeLabelPng(colour));
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


}
