package org.histodraw.app;

import picocli.CommandLine.Option;

/** {@code --threads N}: how many threads work at once, one per processor unless given. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per processor).")
    Integer threads;

    /** The count asked for (1..1024, else a usage error), or one per processor. */
    int count(Checks checks) {
        int count = given() ? threads : Checks.defaultThreads();
        checks.range("--threads", count, 1, 1024);
        return count;
    }

    boolean given() {
        return threads != null;
    }
}
