package org.histodraw.service.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.client.ServerClient;
import org.histodraw.service.access.Caller;

/**
 * The callers' workspaces, one per user and project: at most {@code max} are kept (the one unused
 * longest goes first), and one unused for {@code idleMillis} is dropped, with its subscriptions.
 */
public final class Workspaces implements AutoCloseable {
    private final ServerClient anonymous;
    private final int threads;
    private final long debounceMillis;
    private final int max;
    private final long idleMillis;
    private final Map<String, Workspace> open = new LinkedHashMap<>(16, 0.75f, true);

    public Workspaces(ServerClient anonymous, int threads, long debounceMillis, int max, long idleMillis) {
        this.anonymous = anonymous;
        this.threads = threads;
        this.debounceMillis = debounceMillis;
        this.max = max;
        this.idleMillis = idleMillis;
    }

    /** The caller's workspace (made on first use), with the caller's token as the one to use. */
    public Workspace of(Caller caller) {
        List<Workspace> dropped = new ArrayList<>();
        Workspace w;
        synchronized (open) {
            long now = System.currentTimeMillis();
            open.values().removeIf(x -> {
                boolean idle = now - x.lastUse() > idleMillis;
                if (idle) {
                    dropped.add(x);
                }
                return idle;
            });
            w = open.get(caller.key());
            if (w == null) {
                w = new Workspace(anonymous, caller, threads, debounceMillis);
                open.put(caller.key(), w);
                while (open.size() > max) {
                    String eldest = open.keySet().iterator().next();
                    dropped.add(open.remove(eldest));
                }
            }
            w.used(caller);
        }
        dropped.forEach(Workspace::close);
        return w;
    }

    @Override
    public void close() {
        synchronized (open) {
            open.values().forEach(Workspace::close);
            open.clear();
        }
    }
}
