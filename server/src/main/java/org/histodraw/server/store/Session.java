package org.histodraw.server.store;

/** A browser login: the cookie's hash, its user, the CSRF token unsafe requests must echo, the expiry. */
public record Session(String tokenHash, long userId, String csrfToken, long expiresAt) {
}
