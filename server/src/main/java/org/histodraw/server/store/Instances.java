package org.histodraw.server.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server instances working on this database ({@code server_instances}): each registers at
 * start, beats every {@link #HEARTBEAT} and leaves at a clean stop. An instance not heard of for
 * {@link #LEASE} is taken for dead (its jobs are claimed by the others; see {@link IngestJobStore}).
 * Times are the instances' clocks, which must agree to within a few seconds (NTP).
 *
 * <p>On H2 there can be only one: {@link #register} refuses a second live instance (H2's file lock
 * already refuses a second process on a file database; this also covers H2 in server mode).
 */
public final class Instances {
    public static final Duration HEARTBEAT = Duration.ofSeconds(Long.getLong("histodraw.heartbeatSeconds", 3));
    public static final Duration LEASE = HEARTBEAT.multipliedBy(4);
    private static final Logger LOG = LoggerFactory.getLogger(Instances.class);

    /** One instance as registered. */
    public record Instance(String id, String host, long pid, String address, long startedAt, long heartbeatAt) {
        public boolean alive(long now) {
            return now - heartbeatAt < LEASE.toMillis();
        }
    }

    private final Database db;

    public Instances(Database db) {
        this.db = db;
    }

    /**
     * Records this instance; on H2, refuses ({@link DatabaseInUse}) when another live instance is
     * there, and forgets the rows of dead ones.
     */
    public void register(String id, String host, long pid, String address) {
        long now = System.currentTimeMillis();
        db.transaction(c -> {
            if (db.dialect() == Database.Dialect.H2) {
                // An embedded file is locked by its process: rows left by a killed one mean nothing.
                List<Instance> others = db.exclusiveFile() ? List.of() : Database.list(c,
                        "SELECT id, host, pid, address, started_at, heartbeat_at FROM server_instances", Instances::instance);
                for (Instance other : others) {
                    if (other.alive(now)) {
                        throw new DatabaseInUse("another HistoDraw server (" + other.address() + ", process " + other.pid() + " on "
                                + other.host() + ", seen " + (now - other.heartbeatAt()) / 1000 + " s ago) works on this H2 database; "
                                + "H2 serves one instance only: stop the other one, or run several instances on one PostgreSQL "
                                + "database (--database jdbc:postgresql://...); if it was killed, start again after "
                                + LEASE.toSeconds() + " s", null);
                    }
                }
                Database.update(c, "DELETE FROM server_instances");
            }
            Database.update(c, "INSERT INTO server_instances (id, host, pid, address, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)",
                    id, clip(host, 200), pid, clip(address, 300), now, now);
            return null;
        });
    }

    /** Renews this instance's lease (and registers it again if another took it for dead and removed it). */
    public void beat(String id) {
        long now = System.currentTimeMillis();
        db.transaction(c -> Database.update(c, "UPDATE server_instances SET heartbeat_at = ? WHERE id = ?", now, id));
    }

    /** Every registered instance, the dead ones too (until they are cleaned up). */
    public List<Instance> all() {
        return db.read(c -> Database.list(c, "SELECT id, host, pid, address, started_at, heartbeat_at FROM server_instances ORDER BY started_at",
                Instances::instance));
    }

    /** Whether an instance is registered and beating. */
    public boolean alive(String id) {
        long now = System.currentTimeMillis();
        return all().stream().anyMatch(i -> i.id().equals(id) && i.alive(now));
    }

    /** Removes the rows of instances dead for a while (kept a little longer than the lease, for the logs). */
    public int forgetDead() {
        long before = System.currentTimeMillis() - 10 * LEASE.toMillis();
        return db.transaction(c -> Database.update(c, "DELETE FROM server_instances WHERE heartbeat_at < ?", before));
    }

    /** This instance stops cleanly. */
    public void leave(String id) {
        db.transaction(c -> Database.update(c, "DELETE FROM server_instances WHERE id = ?", id));
    }

    /**
     * Registers this instance ({@link #register}) and keeps its heartbeat going on a thread of its
     * own until the returned membership is closed (which removes the row).
     */
    public Membership join(String id, String host, long pid, String address) {
        register(id, host, pid, address);
        return new Membership(id);
    }

    /** This instance's registration, beating until closed. */
    public final class Membership implements AutoCloseable {
        private final String id;
        private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "histodraw-heartbeat");
            t.setDaemon(true);
            return t;
        });

        private Membership(String id) {
            this.id = id;
            long every = HEARTBEAT.toMillis();
            beats.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
        }

        public String id() {
            return id;
        }

        private void beatQuietly() {
            try {
                beat(id);
                if (ThreadLocalRandom.current().nextInt(100) == 0) {
                    forgetDead();
                }
            } catch (RuntimeException e) {
                LOG.warn("could not renew this instance's heartbeat: {}", e.getMessage());
            }
        }

        @Override
        public void close() {
            beats.shutdownNow();
            try {
                leave(id);
            } catch (RuntimeException e) {
                LOG.warn("could not unregister this instance: {}", e.getMessage());
            }
        }
    }

    private static Instance instance(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Instance(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6));
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
