package io.dancestream.trainer;

import io.dancestream.common.config.CommandRunner;

/** Entry point of the trainer jar ({@code dance train} without the launcher). */
public final class TrainerMain {

    private TrainerMain() {
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new TrainCommand(), args));
    }
}
