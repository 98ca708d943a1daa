package org.histodraw.server.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.Role;

/**
 * Decides what a principal may do in a project: members by role (owner > editor > viewer), tokens
 * by scope (read = viewer, write = editor, never owner, and only in their own project), anyone may
 * read a public project, admins may do everything. Project flags and members are cached and
 * dropped on every change made through {@link #changed(long)}.
 */
public final class AccessControl {
    private record ProjectAccess(boolean publicRead, Map<Long, Role> members) {
    }

    private final Projects projects;
    private final Map<Long, ProjectAccess> cache = new ConcurrentHashMap<>();

    public AccessControl(Projects projects) {
        this.projects = projects;
    }

    /** The role the principal acts with in the project, or null when none (public read not counted). */
    public Role roleIn(Principal p, long projectId) {
        ProjectAccess access = access(projectId);
        if (p.anonymous()) {
            return null;
        }
        if (p.token() != null) {
            return p.token().projectId() == projectId ? Authenticator.roleOf(p.token()) : null;
        }
        if (p.admin()) {
            return Role.OWNER;
        }
        return access.members().get(p.userId());
    }

    /** Fails with 401 (not logged in) or 403 (not enough) unless the principal has {@code needed} in the project. */
    public void require(Principal p, long projectId, Role needed) {
        ProjectAccess access = access(projectId);
        if (needed == Role.VIEWER && access.publicRead()) {
            return;
        }
        Role role = roleIn(p, projectId);
        if (role != null && role.atLeast(needed)) {
            return;
        }
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in or send an API token to " + verb(needed) + " project " + projectId);
        }
        if (p.token() != null && needed == Role.OWNER) {
            throw ApiError.forbidden("API tokens cannot " + verb(needed) + " projects; log in as an owner");
        }
        throw ApiError.forbidden("you need the " + needed.wire() + " role to " + verb(needed) + " project " + projectId
                + (role == null ? " (you are not a member)" : " (you are " + role.wire() + ")"));
    }

    public boolean canRead(Principal p, long projectId) {
        return access(projectId).publicRead() || roleIn(p, projectId) != null;
    }

    /** Drops what is cached about a project after its members or flags changed. */
    public void changed(long projectId) {
        cache.remove(projectId);
    }

    private ProjectAccess access(long projectId) {
        ProjectAccess a = cache.get(projectId);
        if (a == null) {
            Project project = projects.project(projectId).orElseThrow(() -> new NotFound("no project " + projectId));
            a = new ProjectAccess(project.publicRead(), Map.copyOf(projects.members(projectId)));
            cache.put(projectId, a);
        }
        return a;
    }

    private static String verb(Role needed) {
        return switch (needed) {
            case VIEWER -> "read";
            case EDITOR -> "edit";
            case OWNER -> "manage";
        };
    }
}
