package org.histodraw.server.store;

/**
 * Input beyond one of the server's limits (HTTP 413): the message says what was too large, and
 * {@link #limit()} names the limit (as docs/security.md lists them) with its value {@link #max()}.
 */
public class LimitExceeded extends InvalidInput {
    private final String limit;
    private final long max;

    public LimitExceeded(String limit, long max, String message) {
        super(message);
        this.limit = limit;
        this.max = max;
    }

    public String limit() {
        return limit;
    }

    public long max() {
        return max;
    }
}
