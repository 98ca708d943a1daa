package org.histodraw.server.collab;

import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.histodraw.server.store.Change;
import org.histodraw.server.store.Commit;
import org.histodraw.server.store.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of a slice: websocket clients watching it get every committed change in sequence
 * order and each other's pointers.
 *
 * <p>Protocol (JSON text frames, see {@link Messages}). Server to client: {@code {type:"snapshot",
 * version, seq}} on connect (both the slice's change sequence; the client then loads the regions,
 * which are at least that recent, and applies changes by version); {@code {type:"change", op, seq,
 * user, region}} per region change; {@code {type:"layer", layer, seq}} when a generated layer was
 * replaced (reload that layer); {@code {type:"cursor", user, x, y}}; after a resync
 * {@code {type:"resynced", seq}}, or {@code {type:"reload", seq}} when more than {@value #MAX_REPLAY}
 * changes were missed; {@code {type:"error", status, error}} for a refused message;
 * {@code {type:"closed", error}} just before the server closes a connection whose access is gone.
 * Client to server: {@code {type:"cursor", x, y}} and {@code {type:"resync", since}}.
 *
 * <p>Registration, replay and broadcast run under the slice's write lock, so a client sees no gap
 * and no change twice between its snapshot (or resync) and the live stream.
 *
 * <p>Access is not only checked at connection: each watcher carries the check that let it in,
 * run again after every change of rights on this server ({@link #recheck}) and every
 * {@value #RECHECK_SECONDS} s (changes made by another instance, tokens that expired). A watcher
 * that fails it is told why and disconnected (close code {@value #CLOSE_ACCESS_LOST}).
 */
public final class LiveHub implements Regions.CommitListener, AutoCloseable {
    public static final int MAX_REPLAY = 1000;
    /** Close code sent when a watcher's access is gone (4000-4999: for applications). */
    public static final int CLOSE_ACCESS_LOST = 4403;
    static final int RECHECK_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    /** Throws (NotAuthenticated, Forbidden, NotFound...) when the watcher may no longer see the slice. */
    @FunctionalInterface
    public interface Access {
        void check();
    }

    /** Whether a cursor message fits the sender's budget; the first refused one of a second is answered. */
    private enum Take { ALLOWED, REFUSED_FIRST, REFUSED }

    /** One watcher: its socket, who it is (for cursors), the check that let it in, its cursor budget. */
    private static final class Watcher {
        final WsContext ctx;
        final String user;
        final Access access;
        private long windowStart;
        private int inWindow;
        private boolean warned;

        Watcher(WsContext ctx, String user, Access access) {
            this.ctx = ctx;
            this.user = user;
            this.access = access;
        }

        synchronized Take takeCursor(int perSecond, long now) {
            if (now - windowStart >= 1000) {
                windowStart = now;
                inWindow = 0;
                warned = false;
            }
            if (inWindow < perSecond) {
                inWindow++;
                return Take.ALLOWED;
            }
            if (!warned) {
                warned = true;
                return Take.REFUSED_FIRST;
            }
            return Take.REFUSED;
        }
    }

    private final Regions regions;
    private final int cursorsPerSecond;
    private final Map<Long, Map<String, Watcher>> watchers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "live-recheck");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean recheckQueued = new AtomicBoolean();

    public LiveHub(Regions regions, int cursorsPerSecond) {
        this.regions = regions;
        this.cursorsPerSecond = cursorsPerSecond;
        regions.listener(this);
    }

    /** Starts the periodic re-check of every watcher's access. */
    public void start() {
        checker.scheduleWithFixedDelay(this::recheckNow, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    public void join(long sliceId, WsContext ctx, String user, Access access) {
        regions.whileLocked(sliceId, () -> {
            watchers.computeIfAbsent(sliceId, k -> new ConcurrentHashMap<>()).put(ctx.sessionId(), new Watcher(ctx, user, access));
            send(ctx, Messages.snapshot(regions.currentSeq(sliceId)));
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
            if (regions.history().countChangesSince(sliceId, since) > MAX_REPLAY) {
                send(ctx, Messages.reload(seq));
                return null;
            }
            for (Change c : regions.history().changesSince(sliceId, since, MAX_REPLAY)) {
                send(ctx, Messages.change(c));
            }
            send(ctx, Messages.resynced(seq));
            return null;
        });
    }

    /**
     * Relays a pointer (finite coordinates, checked by the caller) to the slice's other watchers,
     * within the sender's budget of cursor messages a second; past it they are dropped and the
     * sender is told once per second.
     */
    public void cursor(long sliceId, WsContext from, double x, double y) {
        Map<String, Watcher> set = watchers.get(sliceId);
        Watcher sender = set == null ? null : set.get(from.sessionId());
        if (sender == null) {
            return;
        }
        Take take = sender.takeCursor(cursorsPerSecond, System.currentTimeMillis());
        if (take == Take.REFUSED_FIRST) {
            send(from, Messages.error(429, "too many cursor messages: at most " + cursorsPerSecond + " a second; the rest are dropped"));
        }
        if (take != Take.ALLOWED) {
            return;
        }
        String msg = Messages.cursor(sender.user, x, y);
        for (Watcher w : set.values()) {
            if (w != sender) {
                send(w.ctx, msg);
            }
        }
    }

    @Override
    public void committed(Commit commit) {
        Map<String, Watcher> set = watchers.get(commit.sliceId());
        if (set == null || set.isEmpty()) {
            return;
        }
        List<String> messages = commit.replacedLayer() != null ? List.of(Messages.layer(commit.replacedLayer(), commit.seq()))
                : commit.changes().stream().map(Messages::change).toList();
        for (Watcher w : set.values()) {
            for (String m : messages) {
                send(w.ctx, m);
            }
        }
    }

    /** Queues a re-check of every watcher's access (after a change of rights); returns at once. */
    public void recheck() {
        if (recheckQueued.compareAndSet(false, true)) {
            try {
                checker.execute(() -> {
                    recheckQueued.set(false);
                    recheckNow();
                });
            } catch (RuntimeException e) {
                recheckQueued.set(false); // shutting down
            }
        }
    }

    private void recheckNow() {
        for (Map.Entry<Long, Map<String, Watcher>> slice : watchers.entrySet()) {
            for (Watcher w : slice.getValue().values()) {
                try {
                    w.access.check();
                } catch (RuntimeException e) {
                    slice.getValue().remove(w.ctx.sessionId());
                    disconnect(w.ctx, e.getMessage() == null ? "access to this slice was withdrawn" : e.getMessage());
                }
            }
        }
    }

    private static void disconnect(WsContext ctx, String reason) {
        send(ctx, Messages.closed(reason));
        try {
            synchronized (ctx) {
                // Close reasons are limited to 123 bytes; the message above carries the whole text.
                ctx.closeSession(CLOSE_ACCESS_LOST, reason.length() > 100 ? reason.substring(0, 100) : reason);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not close websocket {}: {}", ctx.sessionId(), e.toString());
        }
    }

    public int watching(long sliceId) {
        Map<String, Watcher> set = watchers.get(sliceId);
        return set == null ? 0 : set.size();
    }

    static void send(WsContext ctx, String message) {
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

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
