package org.histodraw.service.errors;

/**
 * A request the service refuses, with the HTTP status that says why (400 bad input, 401 no valid
 * token, 403 not allowed, 404 unknown, 409 not now, 421 wrong host, 429 too many, 503 busy) and a
 * message naming the problem. Only the service's own checks throw it: an IllegalStateException or
 * an IllegalArgumentException from deeper down is a fault of the service (500), not of the caller.
 */
public class ClientError extends RuntimeException {
    private final int status;
    private final long retryAfterSeconds;

    public ClientError(int status, String message) {
        this(status, message, 0);
    }

    public ClientError(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds before trying again (429, 503); 0 when not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ClientError badRequest(String message) {
        return new ClientError(400, message);
    }

    public static ClientError unauthorized(String message) {
        return new ClientError(401, message);
    }

    public static ClientError forbidden(String message) {
        return new ClientError(403, message);
    }

    public static ClientError notFound(String message) {
        return new ClientError(404, message);
    }

    public static ClientError conflict(String message) {
        return new ClientError(409, message);
    }

    public static ClientError tooMany(String message, long retryAfterSeconds) {
        return new ClientError(429, message, retryAfterSeconds);
    }
}
