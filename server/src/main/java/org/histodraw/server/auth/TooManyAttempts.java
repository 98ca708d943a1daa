package org.histodraw.server.auth;

/** A rate limit was reached (HTTP 429); the caller may try again after {@link #retryAfterSeconds()}. */
public class TooManyAttempts extends RuntimeException {
    private final long retryAfterSeconds;

    public TooManyAttempts(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
