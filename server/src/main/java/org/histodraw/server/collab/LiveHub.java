package org.histodraw.server.collab;

import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.histodraw.server.store.Change;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of a slice: websocket clients watching it get every committed change in sequence
 * order and each other's pointers.
 *
 * <p>Protocol (JSON text frames). Server to client: {@code {type:"snapshot", version, seq}} on connect
 * (both the slice's change sequence) (the
 * client then loads the regions, which are at least that recent, and applies changes by version);
 * {@code {type:"change", op, seq, user, region}} per region change; {@code {type:"layer", layer,
 * seq}} when a generated layer was replaced (reload that layer); {@code {type:"cursor", user, x,
 * y}}; after a resync {@code {type:"resynced", seq}}, or {@code {type:"reload", seq}} when more than
 * {@value #MAX_REPLAY} changes were missed. Client to server: {@code {type:"cursor", x, y}} and
 * {@code {type:"resync", since}}.
 *
 * <p>Registration, replay and broadcast run under the slice's write lock, so a client sees no gap
 * and no change twice between its snapshot (or resync) and the live stream.
 */
public final class LiveHub implements Regions.CommitListener {
    public static final int MAX_REPLAY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    /** One watcher: its socket and who it is (for cursors). */
    private record Watcher(WsContext ctx, String user) {
    }

    private final Regions regions;
    private final Map<Long, Map<String, Watcher>> watchers = new ConcurrentHashMap<>();

    public LiveHub(Regions regions) {
        this.regions = regions;
        regions.listener(this);
    }

    public void join(long sliceId, WsContext ctx, String user) {
        regions.whileLocked(sliceId, () -> {
            watchers.computeIfAbsent(sliceId, k -> new ConcurrentHashMap<>()).put(ctx.sessionId(), new Watcher(ctx, user));
            long seq = regions.currentSeq(sliceId);
            send(ctx, "{\"type\":\"snapshot\",\"version\":" + seq + ",\"seq\":" + seq + "}");
            return null;
        });
    }

    public void leave(long sliceId, WsContext ctx) {
        Map<String, Watcher> set = watchers.get(sliceId);
        if (set != null) {
            set.remove(ctx.sessionId());
        }
    }

    /** Sends what the client missed since commit {@code since}, or asks it to reload when that is a lot. */
    public void resync(long sliceId, WsContext ctx, long since) {
        regions.whileLocked(sliceId, () -> {
            long seq = regions.currentSeq(sliceId);
            if (regions.countChangesSince(sliceId, since) > MAX_REPLAY) {
                send(ctx, "{\"type\":\"reload\",\"seq\":" + seq + "}");
                return null;
            }
            for (Change c : regions.changesSince(sliceId, since, MAX_REPLAY)) {
                send(ctx, changeJson(c));
            }
            send(ctx, "{\"type\":\"resynced\",\"seq\":" + seq + "}");
            return null;
        });
    }

    public void cursor(long sliceId, WsContext from, String user, double x, double y) {
        String msg = "{\"type\":\"cursor\",\"user\":" + quote(user) + ",\"x\":" + x + ",\"y\":" + y + "}";
        Map<String, Watcher> set = watchers.get(sliceId);
        if (set != null) {
            for (Watcher w : set.values()) {
                if (!w.ctx().sessionId().equals(from.sessionId())) {
                    send(w.ctx(), msg);
                }
            }
        }
    }

    @Override
    public void committed(Commit commit) {
        Map<String, Watcher> set = watchers.get(commit.sliceId());
        if (set == null || set.isEmpty()) {
            return;
        }
        List<String> messages;
        if (commit.replacedLayer() != null) {
            messages = List.of("{\"type\":\"layer\",\"layer\":\"" + commit.replacedLayer() + "\",\"seq\":" + commit.seq() + "}");
        } else {
            messages = commit.changes().stream().map(LiveHub::changeJson).toList();
        }
        for (Watcher w : set.values()) {
            for (String m : messages) {
                send(w.ctx(), m);
            }
        }
    }

    public int watching(long sliceId) {
        Map<String, Watcher> set = watchers.get(sliceId);
        return set == null ? 0 : set.size();
    }

    public static String changeJson(Change c) {
        return "{\"type\":\"change\",\"op\":\"" + c.op() + "\",\"seq\":" + c.seq() + ",\"user\":" + quote(c.user())
                + ",\"region\":" + c.featureJson() + "}";
    }

    private static void send(WsContext ctx, String message) {
        try {
            synchronized (ctx) {
                if (ctx.session.isOpen()) {
                    ctx.send(message);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("could not send to websocket {}: {}", ctx.sessionId(), e.toString());
        }
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

}
