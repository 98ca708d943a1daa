package org.histodraw.server.store;

import java.util.Locale;

/** A user's role in one project; each role can do everything the ones below it can. */
public enum Role {
    VIEWER, EDITOR, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) {
                if (r.wire().equals(s)) {
                    return r;
                }
            }
        }
        throw new InvalidInput("role must be owner, editor or viewer: " + s);
    }
}
