package org.histodraw.server.store;

/** Another server already works on this database and the database allows only one (H2). */
public final class DatabaseInUse extends StoreException {
    public DatabaseInUse(String message, Throwable cause) {
        super(message, cause);
    }
}
