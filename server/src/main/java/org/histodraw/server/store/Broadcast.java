package org.histodraw.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices between the server instances that share one PostgreSQL database (commits, pointers,
 * revoked credentials, changed rights), through PostgreSQL's LISTEN/NOTIFY on channel
 * {@value #CHANNEL}. On H2 (one instance only) there is no one to tell: publishing does nothing.
 *
 * <p>A notice is a small JSON object {@code {"i": instance, "k": kind, ...}}; an instance ignores
 * its own (it acted on them locally already). A notice about a commit is sent inside the commit's
 * transaction ({@link #publishIn}), so PostgreSQL delivers it exactly when the commit is visible,
 * and never for a rolled-back one. Notices are a hint, not the record: the listening connection
 * can drop (PostgreSQL restarted, network) and a notice sent meanwhile is lost; after it
 * reconnects, {@link #onReconnect} hooks catch up from the database itself (the change feed), and
 * each kind's listener must tolerate duplicates.
 *
 * <p>The listener is one connection of its own (a pooled one could not wait for notices), opened
 * when the first kind is subscribed to; it waits for notices with the driver's
 * {@link PGConnection#getNotifications(int)} and reconnects with a growing pause (up to
 * {@value #MAX_PAUSE_MILLIS} ms) when the connection is lost.
 */
public final class Broadcast implements AutoCloseable {
    public static final String CHANNEL = "histodraw";
    /** PostgreSQL refuses payloads of 8000 bytes and more. */
    static final int MAX_PAYLOAD = 7900;
    static final int MAX_PAUSE_MILLIS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);

    private final String instance;
    private final String url;
    private final String user;
    private final String password;
    private final boolean shared;
    private final Database db;
    private final Map<String, List<Consumer<JsonNode>>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
    /** Notices sent outside a transaction (pointers, invalidations) wait here for the sender thread. */
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(4096);
    private volatile boolean closed;
    private volatile boolean listening;
    private Thread listenerThread;
    private Thread senderThread;
    private volatile Connection listenConnection;

    Broadcast(Database db, String url, String user, String password, boolean shared) {
        this.db = db;
        this.instance = db.instanceId();
        this.url = url;
        this.user = user;
        this.password = password;
        this.shared = shared;
    }

    /** Whether other instances can exist (PostgreSQL) and notices travel. */
    public boolean shared() {
        return shared;
    }

    /** Whether the listening connection is up now (for tests and the health of an instance). */
    public boolean listening() {
        return listening;
    }

    /** A new notice of {@code kind}, to fill and publish. */
    public static ObjectNode notice(String kind) {
        return Jackson.MAPPER.createObjectNode().put("k", kind);
    }

    /**
     * Sends a notice as part of the transaction on {@code c}: delivered to the other instances
     * when (and only when) it commits.
     */
    public void publishIn(Connection c, ObjectNode notice) throws SQLException {
        if (!shared) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload(notice));
            ps.execute();
        }
    }

    /**
     * Queues a notice for the other instances and returns at once (a pointer must not wait for the
     * database). When the queue is full (the database is slow or gone) the notice is dropped and
     * false returned: the kinds sent this way are either ephemeral (pointers) or also expire on
     * their own (the credential and access caches keep entries for seconds only).
     */
    public boolean publish(ObjectNode notice) {
        if (!shared || closed) {
            return true;
        }
        startSender();
        boolean queued = outbox.offer(payload(notice));
        if (!queued) {
            LOG.debug("notice dropped, the outbox is full: {}", notice);
        }
        return queued;
    }

    /** Hears the other instances' notices of one kind (on the listener thread: be quick). */
    public void on(String kind, Consumer<JsonNode> listener) {
        listeners.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(listener);
        if (shared) {
            startListener();
        }
    }

    /** Runs after the listening connection came back: notices may have been missed meanwhile. */
    public void onReconnect(Runnable hook) {
        reconnectHooks.add(hook);
    }

    private String payload(ObjectNode notice) {
        String text = Jackson.write(notice.put("i", instance));
        if (text.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("notice too large for NOTIFY (" + text.length() + " characters): " + notice.path("k"));
        }
        return text;
    }

    private synchronized void startListener() {
        if (listenerThread != null || closed) {
            return;
        }
        listenerThread = new Thread(this::listen, "histodraw-listen");
        listenerThread.setDaemon(true);
        listenerThread.start();
    }

    private synchronized void startSender() {
        if (senderThread != null || closed) {
            return;
        }
        senderThread = new Thread(this::send, "histodraw-notify");
        senderThread.setDaemon(true);
        senderThread.start();
    }

    private void send() {
        while (!closed) {
            String first;
            try {
                first = outbox.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            List<String> batch = new java.util.ArrayList<>();
            batch.add(first);
            outbox.drainTo(batch, 255);
            try {
                db.transaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                        for (String p : batch) {
                            ps.setString(1, CHANNEL);
                            ps.setString(2, p);
                            ps.execute();
                        }
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("could not send {} notice(s) to the other instances: {}", batch.size(), e.getMessage());
                }
            }
        }
    }

    private void listen() {
        int pause = 100;
        boolean first = true;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                listenConnection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                pause = 100;
                if (!first) {
                    LOG.info("listening to the other instances again; catching up from the database");
                    reconnectHooks.forEach(Broadcast::runQuietly);
                }
                first = false;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification n : notes) {
                        dispatch(n.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (listening || first) {
                    LOG.warn("lost the connection that hears the other instances ({}); reconnecting", e.getMessage());
                }
                first = false;
            } finally {
                listening = false;
                listenConnection = null;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    /** Hands a notice of another instance to the listeners of its kind (one bad notice stops nothing). */
    void dispatch(String payload) {
        JsonNode n;
        try {
            n = Jackson.MAPPER.readTree(payload);
        } catch (Exception e) {
            LOG.warn("ignored a notice that is not JSON: {}", payload.length() > 200 ? payload.substring(0, 200) : payload);
            return;
        }
        if (instance.equals(n.path("i").asText())) {
            return;
        }
        for (Consumer<JsonNode> l : listeners.getOrDefault(n.path("k").asText(), List.of())) {
            try {
                l.accept(n);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on notice {}: {}", n.path("k").asText(), e.toString());
            }
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("catching up after a reconnect failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread l;
        Thread s;
        synchronized (this) {
            l = listenerThread;
            s = senderThread;
        }
        for (Thread t : new Thread[] {l, s}) {
            if (t != null) {
                t.interrupt();
            }
        }
        Connection c = listenConnection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
