package io.dancestream.common.config;

import picocli.CommandLine;

/** Command-line helpers shared by every service's main. */
public final class CommandRunner {

    private CommandRunner() {
    }

    /**
     * Runs a picocli command the dancestream way: a failure prints one clear sentence (the
     * exception message, no stack trace unless DANCE_DEBUG is set) and exits non-zero.
     */
    public static int run(Object command, String... args) {
        CommandLine cl = commandLine(command);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (System.getenv("DANCE_DEBUG") != null) {
                ex.printStackTrace();
            }
            Throwable t = ex;
            while (t.getMessage() == null && t.getCause() != null) {
                t = t.getCause();
            }
            line.getErr().println("error: " + (t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()));
            return 1;
        });
        return cl.execute(args);
    }

    /** The command line as {@link #run} parses it (enum values in any case: --mode LIVE, --variant full). */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
