package org.histodraw.server.store;

import java.util.Map;

/** The change clashes with the current state (HTTP 409); {@code details} tell the client what is current. */
public class Conflict extends RuntimeException {
    private final transient Map<String, Object> details;

    public Conflict(String message) {
        this(message, Map.of());
    }

    public Conflict(String message, Map<String, Object> details) {
        super(message);
        this.details = Map.copyOf(details);
    }

    public Map<String, Object> details() {
        return details;
    }
}
