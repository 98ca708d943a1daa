package org.histodraw.server.exchange;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.histodraw.server.store.Busy;

/**
 * Lets a bounded number of imports unpack at once (region files, zips, MicroDraw saves and
 * uploads alike): each holds its file's regions in memory until they are stored, so their number,
 * not only their size, bounds the memory. More wait up to {@value #WAIT_SECONDS} s, then get 503.
 */
public final class ImportGate {
    /** How long an import waits for another to finish before it is refused (503). */
    static final long WAIT_SECONDS = 30;
    private final int permits;
    private final long waitSeconds;
    private final Semaphore unpacking;

    public ImportGate(int permits) {
        this(permits, WAIT_SECONDS);
    }

    ImportGate(int permits, long waitSeconds) {
        this.permits = permits;
        this.waitSeconds = waitSeconds;
        this.unpacking = new Semaphore(permits, true);
    }

    /** Runs {@code work} when fewer than {@code permits} others run. */
    public <T> T oneAtATime(Supplier<T> work) {
        try {
            if (!unpacking.tryAcquire(waitSeconds, TimeUnit.SECONDS)) {
                throw new Busy("the server is importing " + permits + " files already; try again shortly", WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting for other imports", WAIT_SECONDS);
        }
        try {
            return work.get();
        } finally {
            unpacking.release();
        }
    }
}
