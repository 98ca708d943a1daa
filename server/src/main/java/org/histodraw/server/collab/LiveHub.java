package org.histodraw.server.collab;

import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import com.fasterxml.jackson.databind.JsonNode;
import org.histodraw.server.store.Broadcast;
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
 * <p>Several server instances may serve one slice (on one PostgreSQL database): each sends its
 * watchers the commits of all of them, in sequence order, with no gap and none twice. Its own
 * commits it knows at once; the others' arrive as {@link Broadcast} notices, and what a notice
 * does not carry (the changes) is read from the history, as is anything between the last commit
 * sent and a newer one. A lost notice (the listening connection dropped) is made up for by the
 * catch-up after the reconnect and by a poll of the watched slices' sequence numbers every
 * {@value #CATCH_UP_MILLIS} ms. Pointers travel as notices too. Registration, replay and sending
 * run under the slice's feed monitor, so a client sees no gap and no change twice between its
 * snapshot (or resync) and the live stream.
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
    /**
     * Every watcher is pinged this often, so that proxies and browsers keep an idle socket open
     * (Javalin's automatic pings did this on a thread of its own that nothing stops: a server
     * closed in a running JVM kept it, and a forked server whose input closed never ended).
     */
    public static final int PING_SECONDS = 15;
    /** How often the watched slices are compared with the database when other instances may write. */
    static final long CATCH_UP_MILLIS = 2000;
    /** The notice of a pointer for the other instances: {@code {s: slice, u: user, x, y}}. */
    static final String CURSOR_NOTICE = "cursor";
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

    /**
     * The watchers of one slice and the last commit they were all sent ({@code delivered}): commits
     * are sent in sequence order, each once, whichever instance made them.
     */
    private static final class Feed {
        final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
        long delivered; // guarded by the feed's monitor
    }

    private final Regions regions;
    private final Broadcast broadcast;
    private final int cursorsPerSecond;
    private final Map<Long, Feed> feeds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker = daemon("live-recheck");
    /** Commits of other instances and the catch-up polls run here, off the listener's thread. */
    private final ScheduledExecutorService remote = daemon("live-remote");
    private final ScheduledExecutorService pinger = daemon("live-ping");
    private final AtomicBoolean recheckQueued = new AtomicBoolean();

    public LiveHub(Regions regions, Broadcast broadcast, int cursorsPerSecond) {
        this.regions = regions;
        this.broadcast = broadcast;
        this.cursorsPerSecond = cursorsPerSecond;
        regions.listener(this);
        broadcast.on(Regions.COMMIT_NOTICE, n -> onRemote(() -> {
            long seq = n.path("q").asLong();
            String layer = n.path("l").isTextual() ? n.path("l").asText() : null;
            deliver(n.path("s").asLong(), seq, layer == null ? null : List.of(Messages.layer(layer, seq)));
        }));
        broadcast.on(CURSOR_NOTICE, n -> onRemote(() -> relayRemoteCursor(n)));
        broadcast.onReconnect(() -> onRemote(this::catchUpAll));
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the periodic re-check of every watcher's access, and, when other instances may write
     * (PostgreSQL), the poll of the watched slices' sequence numbers that catches what a lost
     * notice would have announced.
     */
    public void start() {
        checker.scheduleWithFixedDelay(this::recheckNow, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
        pinger.scheduleAtFixedRate(this::pingAll, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        if (broadcast.shared()) {
            remote.scheduleWithFixedDelay(this::catchUpAll, CATCH_UP_MILLIS, CATCH_UP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    public void join(long sliceId, WsContext ctx, String user, Access access) {
        Feed f = feeds.computeIfAbsent(sliceId, k -> new Feed());
        synchronized (f) {
            if (f.watchers.isEmpty()) {
                f.delivered = regions.currentSeq(sliceId);
            }
            f.watchers.put(ctx.sessionId(), new Watcher(ctx, user, access));
            send(ctx, Messages.snapshot(f.delivered));
        }
    }

    public void leave(long sliceId, WsContext ctx) {
        Feed f = feeds.get(sliceId);
        if (f != null) {
            f.watchers.remove(ctx.sessionId());
        }
    }

    /** Sends what the client missed since commit {@code since}, or asks it to reload when that is a lot. */
    public void resync(long sliceId, WsContext ctx, long since) {
        Feed f = feeds.get(sliceId);
        if (f == null) {
            return;
        }
        synchronized (f) {
            long upTo = f.delivered;
            if (since < upTo) {
                if (regions.history().countChangesBetween(sliceId, since, upTo) > MAX_REPLAY) {
                    send(ctx, Messages.reload(upTo));
                    return;
                }
                for (Change c : regions.history().changesBetween(sliceId, since, upTo, MAX_REPLAY)) {
                    send(ctx, Messages.change(c));
                }
            }
            send(ctx, Messages.resynced(upTo));
        }
    }

    /**
     * Relays a pointer (finite coordinates, checked by the caller) to the slice's other watchers,
     * here and on the other instances, within the sender's budget of cursor messages a second;
     * past it they are dropped and the sender is told once per second.
     */
    public void cursor(long sliceId, WsContext from, double x, double y) {
        Feed f = feeds.get(sliceId);
        Watcher sender = f == null ? null : f.watchers.get(from.sessionId());
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
        for (Watcher w : f.watchers.values()) {
            if (w != sender) {
                send(w.ctx, msg);
            }
        }
        broadcast.publish(Broadcast.notice(CURSOR_NOTICE).put("s", sliceId).put("u", sender.user).put("x", x).put("y", y));
    }

    private void relayRemoteCursor(JsonNode n) {
        Feed f = feeds.get(n.path("s").asLong());
        double x = n.path("x").asDouble(), y = n.path("y").asDouble();
        if (f == null || f.watchers.isEmpty() || !Double.isFinite(x) || !Double.isFinite(y)) {
            return;
        }
        String msg = Messages.cursor(n.path("u").asText(), x, y);
        for (Watcher w : f.watchers.values()) {
            send(w.ctx, msg);
        }
    }

    /** A commit of this instance, heard while the slice's write lock is held. */
    @Override
    public void committed(Commit commit) {
        List<String> messages = commit.replacedLayer() != null ? List.of(Messages.layer(commit.replacedLayer(), commit.seq()))
                : commit.changes().stream().map(Messages::change).toList();
        deliver(commit.sliceId(), commit.seq(), messages);
    }

    /**
     * Sends commit {@code seq} to the slice's watchers: its messages when it is the next one and
     * they are known, else every change since the last commit sent, read from the history (a
     * commit of another instance, or one that overtook a notice still on its way).
     */
    private void deliver(long sliceId, long seq, List<String> messages) {
        Feed f = feeds.get(sliceId);
        if (f == null) {
            return;
        }
        synchronized (f) {
            if (f.watchers.isEmpty() || seq <= f.delivered) {
                return;
            }
            if (seq == f.delivered + 1 && messages != null) {
                for (String m : messages) {
                    sendAll(f, m);
                }
            } else if (regions.history().countChangesBetween(sliceId, f.delivered, seq) > MAX_REPLAY) {
                sendAll(f, Messages.reload(seq));
            } else {
                for (Change c : regions.history().changesBetween(sliceId, f.delivered, seq, MAX_REPLAY)) {
                    sendAll(f, Messages.change(c));
                }
            }
            f.delivered = seq;
        }
    }

    /** Compares every watched slice with the database and sends what was committed and not yet sent. */
    private void catchUpAll() {
        try {
            List<Long> watched = feeds.entrySet().stream().filter(e -> !e.getValue().watchers.isEmpty()).map(Map.Entry::getKey).toList();
            for (Map.Entry<Long, Long> e : regions.currentSeqs(watched).entrySet()) {
                deliver(e.getKey(), e.getValue(), null);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not compare the watched slices with the database: {}", e.toString());
        }
    }

    private void onRemote(Runnable work) {
        try {
            remote.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("live notice from another instance failed: {}", e.toString());
                }
            });
        } catch (RuntimeException e) {
            // shutting down
        }
    }

    private static void sendAll(Feed f, String message) {
        for (Watcher w : f.watchers.values()) {
            send(w.ctx, message);
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
        for (Feed f : feeds.values()) {
            for (Watcher w : f.watchers.values()) {
                try {
                    w.access.check();
                } catch (RuntimeException e) {
                    f.watchers.remove(w.ctx.sessionId());
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
        Feed f = feeds.get(sliceId);
        return f == null ? 0 : f.watchers.size();
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

    private void pingAll() {
        for (Feed f : feeds.values()) {
            for (Watcher w : f.watchers.values()) {
                try {
                    w.ctx.sendPing();
                } catch (RuntimeException e) {
                    LOG.debug("could not ping websocket {}: {}", w.ctx.sessionId(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        remote.shutdownNow();
        pinger.shutdownNow();
    }
}
