package org.histodraw.service.access;

/**
 * Who is calling the service, as the annotation server vouched for their token: the user, the one
 * project the token is for, whether it may write there (scope write and at least the editor role
 * now), and the token itself, with which the service acts for this caller and for nobody else.
 */
public record Caller(String token, long userId, String username, long projectId, boolean canWrite) {
    /** The key of the caller's workspace and limits: one user in one project. */
    public String key() {
        return userId + "/" + projectId;
    }

    @Override
    public String toString() {
        return username + " in project " + projectId; // never the token
    }
}
