package org.histodraw.server.auth;

/** The caller must log in or send a valid token (HTTP 401). */
public class NotAuthenticated extends RuntimeException {
    public NotAuthenticated(String message) {
        super(message);
    }
}
