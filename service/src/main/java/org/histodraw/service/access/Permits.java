package org.histodraw.service.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.histodraw.service.errors.ClientError;

/**
 * Counted permits for one kind of work, per user and in all: taken at once or refused with 429
 * (never queued, so a flood costs the service nothing but the refusals).
 */
public final class Permits {
    /** A permit held; closing it gives it back. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final String what;
    private final int perUser;
    private final Semaphore all;
    private final Map<Long, Semaphore> users = new ConcurrentHashMap<>();

    public Permits(String what, int perUser, int total) {
        this.what = what;
        this.perUser = perUser;
        this.all = new Semaphore(total);
    }

    public Held take(Caller caller) {
        Semaphore mine = users.computeIfAbsent(caller.userId(), k -> new Semaphore(perUser));
        if (!mine.tryAcquire()) {
            throw ClientError.tooMany("you have " + perUser + " " + what + " running already; wait for " + (perUser == 1 ? "it" : "one")
                    + " to end", 2);
        }
        if (!all.tryAcquire()) {
            mine.release();
            throw ClientError.tooMany("the service is busy with other users' " + what + "; try again shortly", 2);
        }
        return () -> {
            all.release();
            mine.release();
        };
    }
}
