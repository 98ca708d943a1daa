package org.histodraw.slides.pipeline;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A flag a user (or a service endpoint) raises to stop a running job between two tiles. */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    void check() {
        if (cancelled.get()) {
            throw new CancellationException("cancelled by the user");
        }
    }
}
