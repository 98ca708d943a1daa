package org.histodraw.server.store;

import java.util.Set;

/** A project-scoped API token for services; only its SHA-256 hash is stored. */
public record ApiToken(long id, long projectId, String name, Set<Scope> scopes, long createdBy) {
    /** What a token may do: read acts as a viewer, write as an editor. */
    public enum Scope {
        READ, WRITE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Scope parse(String s) {
            return switch (s == null ? "" : s) {
                case "read" -> READ;
                case "write" -> WRITE;
                default -> throw new IllegalArgumentException("token scope must be read or write: " + s);
            };
        }
    }
}
