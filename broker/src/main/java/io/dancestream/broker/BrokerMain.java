package io.dancestream.broker;

import io.dancestream.common.config.CommandRunner;

/**
 * {@code dance broker} on its own: the main of each node process {@link LocalCluster} starts (the
 * broker module cannot name the launcher, which depends on it).
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.run(new BrokerCommand(), args));
    }
}
