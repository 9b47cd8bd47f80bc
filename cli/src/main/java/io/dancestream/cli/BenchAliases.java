package io.dancestream.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark command lines from before {@code dance bench} (issue 22), rewritten to it so
 * scripts, docs and issues keep working with the same options and output (docs/benchmarks.md):
 *
 * <pre>
 * dance segment bench ARGS               → dance bench segment ARGS
 * dance segment-stream --benchmark ARGS  → dance bench segment-stream ARGS
 * dance quantize --benchmark ARGS        → dance bench quantize ARGS
 * dance quantize --generate N DIR ARGS   → dance bench quantize --generate N DIR ARGS
 * dance ingest --benchmark ARGS          → dance bench ingest ARGS
 * dance transfer-stream bench ARGS       → dance bench transfer ARGS
 * dance train bench ARGS                 → dance bench train ARGS
 * dance viewer --benchmark ARGS          → dance bench viewer ARGS
 * dance bench-path ARGS                  → dance bench path ARGS
 * dance load-test ARGS                   → dance bench load-test ARGS
 * </pre>
 */
final class BenchAliases {

    private BenchAliases() {
    }

    static String[] rewrite(String... args) {
        if (args.length == 0) {
            return args;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        String stage = switch (args[0]) {
            case "segment", "train" -> benchSubcommand(rest) ? args[0] : null;
            case "transfer-stream" -> benchSubcommand(rest) ? "transfer" : null;
            case "segment-stream", "ingest", "viewer" -> rest.remove("--benchmark") ? args[0] : null;
            case "quantize" -> rest.remove("--benchmark") || rest.contains("--generate") ? args[0] : null;
            case "bench-path" -> "path";
            case "load-test" -> "load-test";
            default -> null;
        };
        if (stage == null) {
            return args;
        }
        List<String> out = new ArrayList<>(List.of("bench", stage));
        out.addAll(rest);
        return out.toArray(String[]::new);
    }

    /** Whether {@code rest} starts with the old {@code bench} subcommand; removes it if so. */
    private static boolean benchSubcommand(List<String> rest) {
        return !rest.isEmpty() && rest.get(0).equals("bench") && rest.remove(0) != null;
    }
}
