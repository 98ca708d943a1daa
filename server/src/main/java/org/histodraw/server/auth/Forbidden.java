package org.histodraw.server.auth;

/** The caller is known but may not do this (HTTP 403). */
public class Forbidden extends RuntimeException {
    public Forbidden(String message) {
        super(message);
    }
}
