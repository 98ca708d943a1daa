package org.histodraw.server.store;

/** A database failure that is not the caller's fault (connection lost, constraint bug...). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
