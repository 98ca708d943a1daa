package org.histodraw.server.store;

/**
 * What a client sent is wrong (HTTP 400): a bad name, a broken polygon, an unknown role. Only the
 * project's own checks throw it, so a bug of ours (an IllegalArgumentException deep in a library,
 * corrupt stored data) is never blamed on the client.
 */
public class InvalidInput extends RuntimeException {
    public InvalidInput(String message) {
        super(message);
    }
}
