package io.dancestream.transferstream;

import io.dancestream.common.config.CommandRunner;

/** Entry point of the transfer-stream service jar. */
public final class TransferStreamMain {

    private TransferStreamMain() {
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new TransferStreamCommand(), args));
    }
}
