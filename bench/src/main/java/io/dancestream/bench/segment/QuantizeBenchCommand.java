package io.dancestream.bench.segment;

import io.dancestream.common.image.ImageCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dance bench quantize} (old forms: {@code dance quantize --benchmark}, {@code dance quantize
 * --generate N DIR}): the colour quantizer's benchmark on synthetic perturbed masks, or those masks
 * with their true class ids written to a folder.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Benchmark the mask quantizer on synthetic perturbed masks, or write such masks.",
            "  dance bench quantize                   fit time, masks/s per core, accuracy vs naive",
            "  dance bench quantize --generate N DIR  write N perturbed synthetic masks + true ids"})
public final class QuantizeBenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "The output DIR of --generate.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--generate", paramLabel = "N", description = "Write N synthetic perturbed masks to DIR/masks and their true ids to DIR/truth.")
    Integer generate;

    @Option(names = "--masks", paramLabel = "N", defaultValue = "1600", description = "Masks of the benchmark (default ${DEFAULT-VALUE}).")
    int masks;

    @Option(names = "--part-maps", paramLabel = "DIR",
            description = "Make the masks from the class-id PNGs in DIR (real part maps, e.g. "
                    + "segment-stream/src/test/resources/quantize/partmaps) instead of drawn layouts.")
    Path partMaps;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the masks (default ${DEFAULT-VALUE}).")
    long seed;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (generate != null) {
            if (dirs.size() != 1) {
                throw new IllegalArgumentException("--generate N takes one output DIR");
            }
            return generate(generate, dirs.get(0));
        }
        if (!dirs.isEmpty()) {
            throw new IllegalArgumentException("DIR is the output of --generate N (see --help)");
        }
        List<Mat> maps = loadPartMaps();
        try {
            new QuantizeBenchmark(out).run(masks, seed, generator(maps),
                    maps.isEmpty() ? "drawn layouts" : maps.size() + " part maps from " + partMaps);
        } finally {
            maps.forEach(Mat::close);
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
                Files.write(truthDir.resolve(name), ImageCodec.encodeLabelPng(s.truth()));
            }
        }
    }
}
