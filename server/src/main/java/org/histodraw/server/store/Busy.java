package org.histodraw.server.store;

/** The server is at its limit for this kind of work (HTTP 503); the caller may try again after {@link #retryAfterSeconds()}. */
public class Busy extends RuntimeException {
    private final long retryAfterSeconds;

    public Busy(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
