package org.histodraw.server.store;

/** The database cannot answer this request (HTTP 503); the next one may succeed. */
public class DatabaseUnavailable extends StoreException {
    public DatabaseUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
