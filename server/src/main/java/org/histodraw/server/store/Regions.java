package org.histodraw.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Regions of slices with per-region versions and a complete history.
 *
 * <p>Consistency model: all writes to one slice are serialised (a lock per slice in this process,
 * and the slice row, locked first in every write transaction, across the server instances that
 * share a PostgreSQL database); each commit takes the next sequence
 * number and records one event per region it touched. Updates and deletes name the version they
 * were made against and fail with {@link Conflict} (carrying the current version) when it is stale,
 * so no edit silently overwrites another. Listeners hear of commits in sequence order, while the
 * lock is still held.
 */
public final class Regions {
    /** Hears about every commit, in order, right after it is committed. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(Commit commit);
    }

    /** A stored region: what a query returns. */
    public record Stored(long id, long sliceId, String layer, String className, int version, String geometry,
                         String properties, String provenance) {
        public String featureJson() {
            return Features.feature(id, version, layer, geometry, properties, provenance);
        }
    }

    /** The kind of the notice sent to the other instances for every commit: {@code {s: slice, q: seq, l: layer or null}}. */
    public static final String COMMIT_NOTICE = "commit";
    static final String REGION_COLUMNS = "id, slice_id, layer, class_name, version, geometry, properties, provenance";

    private final Database db;
    private final RegionQueries queries;
    private final RegionHistory history;
    private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    public Regions(Database db) {
        this.db = db;
        this.queries = new RegionQueries(db);
        this.history = new RegionHistory(db);
    }

    /** Reading regions by place, level of detail and layer. */
    public RegionQueries queries() {
        return queries;
    }

    /** The events of the slices' regions. */
    public RegionHistory history() {
        return history;
    }

    /** Adds a listener: every listener hears every commit, in the order they were added. */
    public void listener(CommitListener l) {
        listeners.add(l);
    }

    /** Runs {@code work} holding the slice's write lock (so nothing commits on the slice meanwhile). */
    public <T> T whileLocked(long sliceId, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(sliceId, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private Commit write(long sliceId, Database.Work<Commit> work) {
        return whileLocked(sliceId, () -> {
            Commit commit = db.transaction(c -> {
                lockSlices(c, List.of(sliceId));
                Commit done = work.run(c);
                announce(c, done);
                return done;
            });
            tellListeners(commit);
            return commit;
        });
    }

    /**
     * Takes the slices' rows for the rest of the transaction, in id order, before anything is
     * read: another server instance writing to the same slice waits here, so the version checks
     * that follow see its commit (the in-process lock only orders this instance's writers).
     */
    private static void lockSlices(Connection c, List<Long> sortedSliceIds) throws SQLException {
        for (long id : sortedSliceIds) {
            Database.one(c, "SELECT change_seq FROM slices WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), id);
        }
    }

    /** Tells the other instances of a commit, in its transaction (so only when it is committed). */
    private void announce(Connection c, Commit commit) throws SQLException {
        if (!commit.isEmpty()) {
            db.broadcast().publishIn(c, Broadcast.notice(COMMIT_NOTICE).put("s", commit.sliceId()).put("q", commit.seq())
                    .put("l", commit.replacedLayer()));
        }
    }

    // ---- writes ----

    public Commit create(long sliceId, RegionInput in, Actor actor) {
        return write(sliceId, c -> {
            SliceRow slice = nextSeq(c, sliceId);
            long now = System.currentTimeMillis();
            long id = insertRegion(c, null, sliceId, in, 1, slice, now, actor);
            Change change = event(c, sliceId, slice.seq, "create", id, 1, in, actor, now);
            return new Commit(sliceId, slice.seq, List.of(change), null);
        });
    }

    /**
     * The edits an import makes on one slice, as part of {@link #importAll}, and work that commits
     * with them (it sees the slice's commit, and so the new regions' ids).
     */
    public record SliceEdits(long sliceId, List<Edit> edits, AlongWith alongWith) {
        public SliceEdits {
            edits = List.copyOf(edits);
        }
    }

    /** What an import did: one commit per slice (empty ones for slices given no edits) and what the extra work returned. */
    public record Imported<T>(List<Commit> commits, T also) {
    }

    /**
     * Applies the edits of an import, to one slice or several, in a single transaction with
     * {@code alsoInTransaction} (the ontology's new classes): all of it is stored or, when anything
     * fails, nothing. Each slice's edits are checked as {@link #apply} checks them. Slice locks are
     * taken in id order (as {@link #replaceLayers} does), and watchers get each slice's changes
     * under one sequence number.
     */
    public <T> Imported<T> importAll(List<SliceEdits> writes, Actor actor, Database.Work<T> alsoInTransaction) {
        List<Long> sliceIds = writes.stream().map(SliceEdits::sliceId).distinct().sorted().toList();
        return withLocks(sliceIds, () -> {
            Imported<T> done = db.transaction(c -> {
                lockSlices(c, sliceIds);
                List<Commit> commits = new ArrayList<>();
                for (SliceEdits w : writes) {
                    Commit commit;
                    if (w.edits().isEmpty()) {
                        long seq = Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), w.sliceId())
                                .orElseThrow(() -> new NotFound("no slice " + w.sliceId()));
                        commit = new Commit(w.sliceId(), seq, List.of(), null);
                    } else {
                        commit = applyIn(c, w.sliceId(), w.edits(), actor);
                    }
                    w.alongWith().run(c, commit);
                    commits.add(commit);
                }
                T also = alsoInTransaction.run(c);
                for (Commit commit : commits) {
                    announce(c, commit);
                }
                return new Imported<>(commits, also);
            });
            done.commits().forEach(this::tellListeners);
            return done;
        });
    }

    private void tellListeners(Commit commit) {
        if (!commit.isEmpty()) {
            for (CommitListener l : listeners) {
                l.committed(commit);
            }
        }
    }

    /** Runs {@code work} holding the locks of several slices, taken in id order so two callers cannot deadlock. */
    private <T> T withLocks(List<Long> sortedSliceIds, Supplier<T> work) {
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (long id : sortedSliceIds) {
                ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
                lock.lock();
                held.add(lock);
            }
            return work.get();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    public Commit update(long regionId, int expectedVersion, RegionInput in, Actor actor) {
        long sliceId = sliceOf(regionId);
        return write(sliceId, c -> {
            int current = currentVersion(c, regionId, expectedVersion);
            SliceRow slice = nextSeq(c, sliceId);
            long now = System.currentTimeMillis();
            int version = current + 1;
            updateRegion(c, regionId, in, version, slice, now, actor);
            Change change = event(c, sliceId, slice.seq, "update", regionId, version, in, actor, now);
            return new Commit(sliceId, slice.seq, List.of(change), null);
        });
    }

    public Commit delete(long regionId, int expectedVersion, Actor actor) {
        long sliceId = sliceOf(regionId);
        return write(sliceId, c -> {
            int current = currentVersion(c, regionId, expectedVersion);
            String layer = Database.one(c, "SELECT layer FROM regions WHERE id = ?", rs -> rs.getString(1), regionId).orElseThrow();
            SliceRow slice = nextSeq(c, sliceId);
            long now = System.currentTimeMillis();
            Database.update(c, "DELETE FROM regions WHERE id = ?", regionId);
            Change change = deleteEvent(c, sliceId, slice.seq, regionId, current + 1, layer, actor, now);
            return new Commit(sliceId, slice.seq, List.of(change), null);
        });
    }

    /**
     * Applies several edits of one slice as one commit: every update and delete must name the
     * current version of a region of this slice (else {@link Conflict}, and nothing changes).
     */
    public Commit apply(long sliceId, List<Edit> edits, Actor actor) {
        return apply(sliceId, edits, actor, (c, commit) -> {
        });
    }

    /** Work that commits or rolls back with a commit: it sees the commit's changes (and so the new regions' ids). */
    @FunctionalInterface
    public interface AlongWith {
        void run(Connection c, Commit commit) throws SQLException;
    }

    /** As {@link #apply(long, List, Actor)}, with {@code alongWith} run in the same transaction after the edits. */
    public Commit apply(long sliceId, List<Edit> edits, Actor actor, AlongWith alongWith) {
        return write(sliceId, c -> {
            Commit commit = applyIn(c, sliceId, edits, actor);
            alongWith.run(c, commit);
            return commit;
        });
    }

    /** The edits of one slice as one commit, in the caller's transaction (the caller holds the slice's lock). */
    private Commit applyIn(Connection c, long sliceId, List<Edit> edits, Actor actor) throws SQLException {
        for (Edit e : edits) {
            long id = e instanceof Edit.Update u ? u.regionId() : e instanceof Edit.Delete d ? d.regionId() : 0;
            if (id == 0) {
                continue;
            }
            Optional<Long> on = Database.one(c, "SELECT slice_id FROM regions WHERE id = ?", rs -> rs.getLong(1), id);
            if (on.isPresent() && on.get() != sliceId) {
                throw new InvalidInput("region " + id + " is on slice " + on.get() + ", not on slice " + sliceId);
            }
            currentVersion(c, id, e instanceof Edit.Update u ? u.expectedVersion() : ((Edit.Delete) e).expectedVersion());
        }
        SliceRow slice = nextSeq(c, sliceId);
        long now = System.currentTimeMillis();
        List<Change> changes = new ArrayList<>();
        for (Edit e : edits) {
            switch (e) {
                case Edit.Create cr -> {
                    long id = insertRegion(c, null, sliceId, cr.input(), 1, slice, now, actor);
                    changes.add(event(c, sliceId, slice.seq, "create", id, 1, cr.input(), actor, now));
                }
                case Edit.Update u -> {
                    RegionInput in = u.input();
                    int version = u.expectedVersion() + 1;
                    updateRegion(c, u.regionId(), in, version, slice, now, actor);
                    changes.add(event(c, sliceId, slice.seq, "update", u.regionId(), version, in, actor, now));
                }
                case Edit.Delete d -> {
                    String layer = Database.one(c, "SELECT layer FROM regions WHERE id = ?", rs -> rs.getString(1), d.regionId()).orElseThrow();
                    Database.update(c, "DELETE FROM regions WHERE id = ?", d.regionId());
                    changes.add(deleteEvent(c, sliceId, slice.seq, d.regionId(), d.expectedVersion() + 1, layer, actor, now));
                }
            }
        }
        return new Commit(sliceId, slice.seq, changes, null);
    }

    /** The outcome of a layer replacement; {@code unchanged} when the same content was put before. */
    public record LayerResult(Commit commit, int deleted, int created, boolean unchanged) {
    }

    /**
     * Replaces every region of one layer in one transaction. Putting the same content (same regions
     * and provenance) again changes nothing. Never used for the human layer (the caller refuses it).
     */
    public LayerResult replaceLayer(long sliceId, String layer, List<RegionInput> inputs, String provenance, Actor actor) {
        return replaceLayers(List.of(new LayerWrite(sliceId, layer, inputs, provenance)), actor, c -> null).get(0);
    }

    /** One layer of one slice to replace, as part of {@link #replaceLayers}. */
    public record LayerWrite(long sliceId, String layer, RegionSource regions, String provenance) {
        public LayerWrite(long sliceId, String layer, List<RegionInput> inputs, String provenance) {
            this(sliceId, layer, RegionSource.of(inputs), provenance);
        }
    }

    /**
     * A layer's new regions, read once per pass inside the writing transaction (a layer staged in
     * parts streams from the staged rows, never whole in memory).
     */
    @FunctionalInterface
    public interface RegionSource {
        void forEach(Connection c, RegionSink each) throws SQLException;

        static RegionSource of(List<RegionInput> inputs) {
            return (c, each) -> {
                for (RegionInput in : inputs) {
                    each.accept(in);
                }
            };
        }
    }

    /** Takes one region of a {@link RegionSource}. */
    @FunctionalInterface
    public interface RegionSink {
        void accept(RegionInput in) throws SQLException;
    }

    /**
     * Replaces several layers, of one or many slices, in a single transaction: all become visible
     * together or none does. {@code alsoInTransaction} runs in the same transaction (it drops what a
     * staged job kept, so that publishing and forgetting the staging cannot be separated). Slice
     * locks are taken in id order, so two such calls cannot deadlock; listeners hear of each
     * slice's commit afterwards, still under its lock, as for single writes.
     */
    public List<LayerResult> replaceLayers(List<LayerWrite> writes, Actor actor, Database.Work<Void> alsoInTransaction) {
        List<Long> sliceIds = writes.stream().map(LayerWrite::sliceId).distinct().sorted().toList();
        return withLocks(sliceIds, () -> {
            List<LayerResult> results = db.transaction(c -> {
                lockSlices(c, sliceIds);
                List<LayerResult> out = new ArrayList<>();
                for (LayerWrite w : writes) {
                    out.add(replaceIn(c, w.sliceId(), w.layer(), w.regions(), w.provenance(), actor));
                }
                alsoInTransaction.run(c);
                for (LayerResult r : out) {
                    announce(c, r.commit());
                }
                return out;
            });
            results.forEach(r -> tellListeners(r.commit()));
            return results;
        });
    }

    private LayerResult replaceIn(Connection c, long sliceId, String layer, RegionSource regions, String provenance,
                                  Actor actor) throws SQLException {
        RegionInput.checkLayer(layer);
        String hash = contentHash(c, layer, regions, provenance);
        int[] counts = new int[2];
        Optional<String> previous = Database.one(c, "SELECT content_hash FROM layers WHERE slice_id = ? AND name = ?",
                rs -> rs.getString(1), sliceId, layer);
        if (previous.isPresent() && previous.get().equals(hash)) {
            long seq = Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), sliceId).orElseThrow();
            return new LayerResult(new Commit(sliceId, seq, List.of(), null), 0, 0, true);
        }
        SliceRow slice = nextSeq(c, sliceId);
        long now = System.currentTimeMillis();
        List<Change> changes = new ArrayList<>();
        // Deletions: one event per region, its last version + 1, written by one statement.
        counts[0] = Database.update(c, "INSERT INTO region_events (slice_id, seq, region_id, version, op, layer, class_name, "
                + "user_id, token_id, created_at) SELECT slice_id, ?, id, version + 1, 'delete', layer, class_name, ?, ?, ? "
                + "FROM regions WHERE slice_id = ? AND layer = ?", slice.seq, actor.userId(), actor.tokenId(), now, sliceId, layer);
        Database.update(c, "DELETE FROM regions WHERE slice_id = ? AND layer = ?", sliceId, layer);
        int written;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO regions (slice_id, layer, class_name, version, cell, min_x, "
                + "min_y, max_x, max_y, geometry, properties, provenance, updated_at, updated_by) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int[] batched = {0};
            regions.forEach(c, in -> {
                Database.bind(ps, sliceId, layer, in.className(), cell(in, slice), in.geometry().envelope().getMinX(),
                        in.geometry().envelope().getMinY(), in.geometry().envelope().getMaxX(), in.geometry().envelope().getMaxY(),
                        in.geometry().json(), in.properties(), provenance, now, actor.userId());
                ps.addBatch();
                if (++batched[0] % 1000 == 0) {
                    ps.executeBatch();
                }
            });
            ps.executeBatch();
            written = batched[0];
        }
        counts[1] = Database.update(c, "INSERT INTO region_events (slice_id, seq, region_id, version, op, layer, class_name, geometry, "
                + "properties, provenance, user_id, token_id, created_at) SELECT slice_id, ?, id, 1, 'create', layer, class_name, "
                + "geometry, properties, provenance, ?, ?, ? FROM regions WHERE slice_id = ? AND layer = ?",
                slice.seq, actor.userId(), actor.tokenId(), now, sliceId, layer);
        if (previous.isPresent()) {
            Database.update(c, "UPDATE layers SET content_hash = ?, provenance = ?, region_count = ?, seq = ?, updated_at = ? "
                    + "WHERE slice_id = ? AND name = ?", hash, provenance, written, slice.seq, now, sliceId, layer);
        } else {
            Database.update(c, "INSERT INTO layers (slice_id, name, content_hash, provenance, region_count, seq, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", sliceId, layer, hash, provenance, written, slice.seq, now);
        }
        return new LayerResult(new Commit(sliceId, slice.seq, changes, layer), counts[0], counts[1], false);
    }

    /**
     * Brings the slice's regions back to how they were just after commit {@code targetSeq}, as new
     * changes (so the restore itself can be undone by restoring again).
     */
    public Commit restore(long sliceId, long targetSeq, Actor actor) {
        return write(sliceId, c -> {
            Map<Long, Change> target = new HashMap<>();
            for (Change e : Database.list(c, "SELECT " + RegionHistory.EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
                    + "WHERE e.slice_id = ? AND e.seq <= ? AND NOT EXISTS (SELECT 1 FROM region_events f WHERE f.region_id = e.region_id "
                    + "AND f.slice_id = e.slice_id AND f.seq <= ? AND f.id > e.id)", Regions::change, sliceId, targetSeq, targetSeq)) {
                if (!e.op().equals("delete")) {
                    target.put(e.regionId(), e);
                }
            }
            Map<Long, Integer> lastVersion = new HashMap<>();
            for (long[] row : Database.list(c, "SELECT region_id, MAX(version) FROM region_events WHERE slice_id = ? GROUP BY region_id",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, sliceId)) {
                lastVersion.put(row[0], (int) row[1]);
            }
            Map<Long, Stored> current = new LinkedHashMap<>();
            for (Stored s : Database.list(c, "SELECT " + REGION_COLUMNS + " FROM regions WHERE slice_id = ? ORDER BY id",
                    Regions::stored, sliceId)) {
                current.put(s.id(), s);
            }
            boolean differs = false;
            for (Stored s : current.values()) {
                Change t = target.get(s.id());
                differs |= t == null || t.version() != s.version();
            }
            for (Long id : target.keySet()) {
                differs |= !current.containsKey(id);
            }
            if (!differs) {
                long seq = Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), sliceId).orElseThrow();
                return new Commit(sliceId, seq, List.of(), null);
            }
            SliceRow slice = nextSeq(c, sliceId);
            long now = System.currentTimeMillis();
            List<Change> changes = new ArrayList<>();
            for (Stored s : current.values()) {
                Change t = target.get(s.id());
                if (t == null) {
                    Database.update(c, "DELETE FROM regions WHERE id = ?", s.id());
                    changes.add(deleteEvent(c, sliceId, slice.seq, s.id(), s.version() + 1, s.layer(), actor, now));
                } else if (t.version() != s.version()) {
                    RegionInput in = inputOf(t);
                    int version = s.version() + 1;
                    updateRegion(c, s.id(), in, version, slice, now, actor);
                    changes.add(event(c, sliceId, slice.seq, "update", s.id(), version, in, actor, now));
                }
            }
            for (Change t : target.values()) {
                if (!current.containsKey(t.regionId())) {
                    RegionInput in = inputOf(t);
                    int version = lastVersion.getOrDefault(t.regionId(), t.version()) + 1;
                    insertRegion(c, t.regionId(), sliceId, in, version, slice, now, actor);
                    changes.add(event(c, sliceId, slice.seq, "create", t.regionId(), version, in, actor, now));
                }
            }
            return new Commit(sliceId, slice.seq, changes, null);
        });
    }

    private static RegionInput inputOf(Change t) {
        try {
            RegionGeometry g = RegionGeometry.parse(Jackson.MAPPER.readTree(t.geometry()));
            return new RegionInput(t.layer(), t.className(), g, t.properties(), t.provenance());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored geometry of region " + t.regionId() + " is not JSON", e);
        }
    }

    // ---- reads ----

    /** The slice a region is on; NotFound when it never existed, Conflict when it was deleted. */
    public long sliceOf(long regionId) {
        return db.read(c -> {
            Optional<Long> slice = Database.one(c, "SELECT slice_id FROM regions WHERE id = ?", rs -> rs.getLong(1), regionId);
            if (slice.isPresent()) {
                return slice.get();
            }
            Optional<long[]> deleted = Database.one(c, "SELECT slice_id, version FROM region_events WHERE region_id = ? ORDER BY id DESC",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, regionId);
            if (deleted.isPresent()) {
                return deleted.get()[0];
            }
            throw new NotFound("no region " + regionId);
        });
    }

    public Optional<Stored> region(long regionId) {
        return db.read(c -> Database.one(c, "SELECT " + REGION_COLUMNS + " FROM regions WHERE id = ?", Regions::stored, regionId));
    }

    /** The current change sequence of each of these slices (deleted slices are left out). */
    public Map<Long, Long> currentSeqs(java.util.Collection<Long> sliceIds) {
        if (sliceIds.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(sliceIds.size(), "?"));
        Map<Long, Long> out = new HashMap<>();
        db.read(c -> {
            for (long[] row : Database.list(c, "SELECT id, change_seq FROM slices WHERE id IN (" + marks + ")",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, sliceIds.toArray())) {
                out.put(row[0], row[1]);
            }
            return null;
        });
        return out;
    }

    public long currentSeq(long sliceId) {
        return db.read(c -> Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), sliceId))
                .orElseThrow(() -> new NotFound("no slice " + sliceId));
    }

    // ---- helpers ----

    private record SliceRow(long seq, int maxLevel) {
    }

    private static SliceRow nextSeq(Connection c, long sliceId) throws SQLException {
        if (Database.update(c, "UPDATE slices SET change_seq = change_seq + 1 WHERE id = ?", sliceId) == 0) {
            throw new NotFound("no slice " + sliceId);
        }
        return Database.one(c, "SELECT change_seq, width, height FROM slices WHERE id = ?",
                rs -> new SliceRow(rs.getLong(1), SpatialKey.maxLevelFor(rs.getInt(2), rs.getInt(3))), sliceId).orElseThrow();
    }

    private static int currentVersion(Connection c, long regionId, int expected) throws SQLException {
        Optional<Integer> v = Database.one(c, "SELECT version FROM regions WHERE id = ?", rs -> rs.getInt(1), regionId);
        if (v.isEmpty()) {
            int last = Database.one(c, "SELECT MAX(version) FROM region_events WHERE region_id = ?", rs -> rs.getInt(1), regionId).orElse(0);
            throw new Conflict("region " + regionId + " was deleted (version " + last + ")",
                    Map.of("currentVersion", last, "deleted", true));
        }
        if (v.get() != expected) {
            throw new Conflict("region " + regionId + " is at version " + v.get() + ", not " + expected
                    + "; reload it and apply your change again", Map.of("currentVersion", v.get()));
        }
        return v.get();
    }

    private static long cell(RegionInput in, SliceRow slice) {
        var e = in.geometry().envelope();
        return SpatialKey.cell(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY(), slice.maxLevel);
    }

    private static long insertRegion(Connection c, Long id, long sliceId, RegionInput in, int version, SliceRow slice, long now,
                                     Actor actor) throws SQLException {
        var e = in.geometry().envelope();
        String columns = "slice_id, layer, class_name, version, cell, min_x, min_y, max_x, max_y, geometry, properties, provenance, "
                + "updated_at, updated_by";
        Object[] values = {sliceId, in.layer(), in.className(), version, cell(in, slice), e.getMinX(), e.getMinY(), e.getMaxX(),
            e.getMaxY(), in.geometry().json(), in.properties(), in.provenance(), now, actor.userId()};
        if (id == null) {
            return Database.insert(c, "INSERT INTO regions (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
        }
        Object[] withId = new Object[values.length + 1];
        withId[0] = id;
        System.arraycopy(values, 0, withId, 1, values.length);
        Database.update(c, "INSERT INTO regions (id, " + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", withId);
        return id;
    }

    private static void updateRegion(Connection c, long regionId, RegionInput in, int version, SliceRow slice, long now,
                                     Actor actor) throws SQLException {
        var e = in.geometry().envelope();
        Database.update(c, "UPDATE regions SET layer = ?, class_name = ?, version = ?, cell = ?, min_x = ?, min_y = ?, max_x = ?, "
                        + "max_y = ?, geometry = ?, properties = ?, provenance = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                in.layer(), in.className(), version, cell(in, slice), e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY(),
                in.geometry().json(), in.properties(), in.provenance(), now, actor.userId(), regionId);
    }

    private static Change event(Connection c, long sliceId, long seq, String op, long regionId, int version, RegionInput in,
                                Actor actor, long now) throws SQLException {
        long id = Database.insert(c, "INSERT INTO region_events (slice_id, seq, region_id, version, op, layer, class_name, geometry, "
                        + "properties, provenance, user_id, token_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                sliceId, seq, regionId, version, op, in.layer(), in.className(), in.geometry().json(), in.properties(), in.provenance(),
                actor.userId(), actor.tokenId(), now);
        return new Change(id, seq, op, regionId, version, in.layer(), in.className(), in.geometry().json(), in.properties(),
                in.provenance(), actor.name(), now);
    }

    private static Change deleteEvent(Connection c, long sliceId, long seq, long regionId, int version, String layer, Actor actor,
                                      long now) throws SQLException {
        long id = Database.insert(c, "INSERT INTO region_events (slice_id, seq, region_id, version, op, layer, user_id, token_id, created_at) "
                + "VALUES (?, ?, ?, ?, 'delete', ?, ?, ?, ?)", sliceId, seq, regionId, version, layer, actor.userId(), actor.tokenId(), now);
        return new Change(id, seq, "delete", regionId, version, layer, null, null, null, null, actor.name(), now);
    }

    private static String contentHash(Connection c, String layer, RegionSource regions, String provenance)
            throws SQLException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update((layer + "\n" + provenance + "\n").getBytes(StandardCharsets.UTF_8));
        regions.forEach(c, in -> sha.update((in.className() + "\t" + in.geometry().json() + "\t" + in.properties() + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest());
    }

    static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
                rs.getString(7), rs.getString(8));
    }

    static Change change(ResultSet rs) throws SQLException {
        return new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getInt(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getLong(12));
    }
}
