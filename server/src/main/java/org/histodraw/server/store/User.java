package org.histodraw.server.store;

/** A local account. */
public record User(long id, String username, boolean admin) {
}
