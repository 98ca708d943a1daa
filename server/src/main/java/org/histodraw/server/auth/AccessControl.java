package org.histodraw.server.auth;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.histodraw.server.store.Broadcast;
import org.histodraw.server.store.NotFound;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Projects;
import org.histodraw.server.store.Role;

/**
 * Decides what a principal may do in a project: members by role (owner > editor > viewer), tokens
 * by scope (read = viewer, write = editor, never owner, only in their own project, and never beyond
 * the role their maker has in that project now), anyone may read a public project, admins may do
 * everything.
 *
 * <p>A project's flags and members are kept for at most {@value #CACHE_MILLIS} ms and dropped at
 * once by {@link #changed}, here and (through a {@link Broadcast} notice) on the other server
 * instances on the same database;
 * listeners ({@link #onChange}) then re-check what they let in (open websockets).
 */
public final class AccessControl {
    static final long CACHE_MILLIS = 10_000;

    private record ProjectAccess(boolean publicRead, Map<Long, Role> members, long until) {
    }

    static final String PROJECT_NOTICE = "project-access";
    static final String ALL_NOTICE = "all-access";

    private final Projects projects;
    private final Broadcast broadcast;
    private final Map<Long, ProjectAccess> cache = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** With the other server instances on the database: a change of rights made there is dropped here at once. */
    public AccessControl(Projects projects, Broadcast broadcast) {
        this.projects = projects;
        this.broadcast = broadcast;
        broadcast.on(PROJECT_NOTICE, n -> changedHere(n.path("p").asLong()));
        broadcast.on(ALL_NOTICE, n -> changedAllHere());
    }

    /** The role the principal acts with in the project, or null when none (public read not counted). */
    public Role roleIn(Principal p, long projectId) {
        ProjectAccess access = access(projectId);
        if (p.anonymous()) {
            return null;
        }
        Role own = p.user().admin() ? Role.OWNER : access.members().get(p.userId());
        if (p.token() == null) {
            return own;
        }
        if (p.token().projectId() != projectId || own == null) {
            return null;
        }
        Role scoped = p.token().role();
        return own.atLeast(scoped) ? scoped : own;
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
            throw new NotAuthenticated("log in or send an API token to " + verb(needed) + " project " + projectId);
        }
        if (p.token() != null && needed == Role.OWNER) {
            throw new Forbidden("API tokens cannot " + verb(needed) + " projects; log in as an owner");
        }
        throw new Forbidden("you need the " + needed.wire() + " role to " + verb(needed) + " project " + projectId
                + (role == null ? " (you are not a member)" : " (you are " + role.wire() + ")"));
    }

    public boolean canRead(Principal p, long projectId) {
        return access(projectId).publicRead() || roleIn(p, projectId) != null;
    }

    /** Drops what is known about a project after its members or flags changed, and tells the listeners. */
    public void changed(long projectId) {
        changedHere(projectId);
        broadcast.publish(Broadcast.notice(PROJECT_NOTICE).put("p", projectId));
    }

    private void changedHere(long projectId) {
        cache.remove(projectId);
        listeners.forEach(Runnable::run);
    }

    /** Drops everything known (a user was disabled or deleted: every project may be concerned). */
    public void changedAll() {
        changedAllHere();
        broadcast.publish(Broadcast.notice(ALL_NOTICE));
    }

    private void changedAllHere() {
        cache.clear();
        listeners.forEach(Runnable::run);
    }

    /** Registers work to run after access changed (each listener re-checks what it let in). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private ProjectAccess access(long projectId) {
        long now = System.currentTimeMillis();
        ProjectAccess a = cache.get(projectId);
        if (a == null || a.until() < now) {
            Project project = projects.project(projectId).orElseThrow(() -> new NotFound("no project " + projectId));
            a = new ProjectAccess(project.publicRead(), Map.copyOf(projects.members(projectId)), now + CACHE_MILLIS);
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
