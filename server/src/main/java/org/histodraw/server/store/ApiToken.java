package org.histodraw.server.store;

import java.util.Locale;
import java.util.Set;

/**
 * A project-scoped API token; only its SHA-256 hash is stored. It acts for the user who made it,
 * with its scopes, never beyond that user's own role in the project (see AccessControl).
 *
 * @param expiresAt  epoch milliseconds, or null for a token that does not expire
 * @param lastUsedAt epoch milliseconds of the last use (to within a minute), or null
 * @param parentId   the token a job token was minted from (revoking it revokes this one), or null
 */
public record ApiToken(long id, long projectId, String name, Set<Scope> scopes, long createdBy, Kind kind,
                       long createdAt, Long expiresAt, Long lastUsedAt, Long parentId) {
    /** What a token may do: read acts as a viewer, write as an editor. */
    public enum Scope {
        READ, WRITE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Scope parse(String s) {
            return switch (s == null ? "" : s) {
                case "read" -> READ;
                case "write" -> WRITE;
                default -> throw new InvalidInput("token scope must be read or write: " + s);
            };
        }
    }

    /** How the token came to be: made by an owner, minted from a login for a service, or for a background job. */
    public enum Kind {
        API, SERVICE, JOB;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public Role role() {
        return scopes.contains(Scope.WRITE) ? Role.EDITOR : Role.VIEWER;
    }
}
