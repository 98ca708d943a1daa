package org.histodraw.server.store;

/** A local account; a disabled one cannot log in and its sessions and tokens do not work. */
public record User(long id, String username, boolean admin, boolean disabled) {
}
