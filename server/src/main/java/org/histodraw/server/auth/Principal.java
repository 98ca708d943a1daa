package org.histodraw.server.auth;

import org.histodraw.server.store.ApiToken;
import org.histodraw.server.store.Session;
import org.histodraw.server.store.User;

/**
 * Who is asking: nobody, a logged-in user (browser session), or a service with a project API token
 * (acting for the user who made it, with the token's scopes, never beyond that user's role).
 */
public record Principal(User user, Session session, ApiToken token) {
    public static final Principal ANONYMOUS = new Principal(null, null, null);

    public boolean anonymous() {
        return user == null;
    }

    public Long userId() {
        return user == null ? null : user.id();
    }

    public Long tokenId() {
        return token == null ? null : token.id();
    }

    /** An administrator logged in (a token never acts as an administrator). */
    public boolean admin() {
        return user != null && user.admin() && token == null;
    }

    /** "alice" or "alice (token segmentation)", for history and cursors. */
    public String displayName() {
        if (user == null) {
            return "anonymous";
        }
        return token == null ? user.username() : user.username() + " (token " + token.name() + ")";
    }
}
