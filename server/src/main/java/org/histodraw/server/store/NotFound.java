package org.histodraw.server.store;

/** The thing asked for does not exist (HTTP 404). */
public class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }
}
