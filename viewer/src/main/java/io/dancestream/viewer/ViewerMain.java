package io.dancestream.viewer;

import io.dancestream.common.config.CommandRunner;

/** Entry point of the viewer jar ({@code java -jar viewer.jar}); same options as {@code dance viewer}. */
public final class ViewerMain {

    private ViewerMain() {
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new ViewerCommand(), args));
    }
}
