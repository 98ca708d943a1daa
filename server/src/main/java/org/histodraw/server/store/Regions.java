package org.histodraw.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Regions of slices with per-region versions and a complete history.
 *
 * <p>Consistency model: all writes to one slice are serialised (a lock per slice in this process,
 * and the slice row's {@code change_seq} in the database); each commit takes the next sequence
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

    /**
     * A viewport query; null fields do not filter. {@code afterId} pages by id. With a bbox,
     * {@code minSize > 0} leaves out regions whose bounding box is smaller than that on both sides
     * (level of detail: less than a screen pixel when minSize is one screen pixel in slide pixels).
     */
    public record Query(long sliceId, String layer, String className, double[] bbox, long afterId, int limit, double minSize) {
        public Query(long sliceId, String layer, String className, double[] bbox, long afterId, int limit) {
            this(sliceId, layer, className, bbox, afterId, limit, 0);
        }
    }

    private static final String REGION_COLUMNS = "id, slice_id, layer, class_name, version, geometry, properties, provenance";
    private static final String EVENT_COLUMNS = "e.id, e.seq, e.op, e.region_id, e.version, e.layer, e.class_name, e.geometry, "
            + "e.properties, e.provenance, COALESCE(u.username, ''), e.created_at";

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Database db;
    private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Slice id to {change seq, bands holding a region (bits)}. */
    private final Map<Long, long[]> occupiedBands = new ConcurrentHashMap<>();
    private final List<CommitListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Regions(Database db) {
        this.db = db;
    }

    /** Adds a listener: every listener hears every commit, in the order they were added. */
    public void listener(CommitListener l) {
        listeners.add(l);
    }

    /** Runs {@code work} holding the slice's write lock (so nothing commits on the slice meanwhile). */
    public <T> T whileLocked(long sliceId, java.util.function.Supplier<T> work) {
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
            Commit commit = db.transaction(work);
            if (!commit.isEmpty()) {
                for (CommitListener l : listeners) {
                    l.committed(commit);
                }
            }
            return commit;
        });
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
     * Adds many regions in one commit (an import): all of them or, when one is refused, none.
     * Watchers get one change per region, all with the same sequence number.
     */
    public Commit createAll(long sliceId, List<RegionInput> inputs, Actor actor) {
        return write(sliceId, c -> {
            if (inputs.isEmpty()) {
                long seq = Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), sliceId).orElseThrow();
                return new Commit(sliceId, seq, List.of(), null);
            }
            SliceRow slice = nextSeq(c, sliceId);
            long now = System.currentTimeMillis();
            List<Change> changes = new ArrayList<>(inputs.size());
            for (RegionInput in : inputs) {
                long id = insertRegion(c, null, sliceId, in, 1, slice, now, actor);
                changes.add(event(c, sliceId, slice.seq, "create", id, 1, in, actor, now));
            }
            return new Commit(sliceId, slice.seq, changes, null);
        });
    }

    public Commit update(long regionId, int expectedVersion, RegionInput in, Actor actor) {
        long sliceId = sliceOf(regionId);
        return write(sliceId, c -> {
            int current = currentVersion(c, regionId, expectedVersion);
            SliceRow slice = nextSeq(c, sliceId);
            long now = System.currentTimeMillis();
            int version = current + 1;
            Database.update(c, "UPDATE regions SET layer = ?, class_name = ?, version = ?, cell = ?, min_x = ?, min_y = ?, max_x = ?, "
                            + "max_y = ?, geometry = ?, properties = ?, provenance = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                    in.layer(), in.className(), version, cell(in, slice), in.geometry().envelope().getMinX(),
                    in.geometry().envelope().getMinY(), in.geometry().envelope().getMaxX(), in.geometry().envelope().getMaxY(),
                    in.geometry().json(), in.properties(), in.provenance(), now, actor.userId(), regionId);
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
            for (Edit e : edits) {
                long id = e instanceof Edit.Update u ? u.regionId() : e instanceof Edit.Delete d ? d.regionId() : 0;
                if (id == 0) {
                    continue;
                }
                Optional<Long> on = Database.one(c, "SELECT slice_id FROM regions WHERE id = ?", rs -> rs.getLong(1), id);
                if (on.isPresent() && on.get() != sliceId) {
                    throw new IllegalArgumentException("region " + id + " is on slice " + on.get() + ", not on slice " + sliceId);
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
                        var env = in.geometry().envelope();
                        Database.update(c, "UPDATE regions SET layer = ?, class_name = ?, version = ?, cell = ?, min_x = ?, min_y = ?, "
                                        + "max_x = ?, max_y = ?, geometry = ?, properties = ?, provenance = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                                in.layer(), in.className(), version, cell(in, slice), env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY(),
                                in.geometry().json(), in.properties(), in.provenance(), now, actor.userId(), u.regionId());
                        changes.add(event(c, sliceId, slice.seq, "update", u.regionId(), version, in, actor, now));
                    }
                    case Edit.Delete d -> {
                        String layer = Database.one(c, "SELECT layer FROM regions WHERE id = ?", rs -> rs.getString(1), d.regionId()).orElseThrow();
                        Database.update(c, "DELETE FROM regions WHERE id = ?", d.regionId());
                        changes.add(deleteEvent(c, sliceId, slice.seq, d.regionId(), d.expectedVersion() + 1, layer, actor, now));
                    }
                }
            }
            Commit commit = new Commit(sliceId, slice.seq, changes, null);
            alongWith.run(c, commit);
            return commit;
        });
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
    public record LayerWrite(long sliceId, String layer, List<RegionInput> inputs, String provenance) {
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
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (long id : sliceIds) {
                ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
                lock.lock();
                held.add(lock);
            }
            List<LayerResult> results = db.transaction(c -> {
                List<LayerResult> out = new ArrayList<>();
                for (LayerWrite w : writes) {
                    out.add(replaceIn(c, w.sliceId(), w.layer(), w.inputs(), w.provenance(), actor));
                }
                alsoInTransaction.run(c);
                return out;
            });
            for (LayerResult r : results) {
                if (!r.commit().isEmpty()) {
                    for (CommitListener l : listeners) {
                        l.committed(r.commit());
                    }
                }
            }
            return results;
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    private LayerResult replaceIn(Connection c, long sliceId, String layer, List<RegionInput> inputs, String provenance,
                                  Actor actor) throws SQLException {
        RegionInput.checkLayer(layer);
        String hash = contentHash(layer, inputs, provenance);
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO regions (slice_id, layer, class_name, version, cell, min_x, "
                + "min_y, max_x, max_y, geometry, properties, provenance, updated_at, updated_by) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int batched = 0;
            for (RegionInput in : inputs) {
                Database.bind(ps, sliceId, layer, in.className(), cell(in, slice), in.geometry().envelope().getMinX(),
                        in.geometry().envelope().getMinY(), in.geometry().envelope().getMaxX(), in.geometry().envelope().getMaxY(),
                        in.geometry().json(), in.properties(), provenance, now, actor.userId());
                ps.addBatch();
                if (++batched % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        counts[1] = Database.update(c, "INSERT INTO region_events (slice_id, seq, region_id, version, op, layer, class_name, geometry, "
                + "properties, provenance, user_id, token_id, created_at) SELECT slice_id, ?, id, 1, 'create', layer, class_name, "
                + "geometry, properties, provenance, ?, ?, ? FROM regions WHERE slice_id = ? AND layer = ?",
                slice.seq, actor.userId(), actor.tokenId(), now, sliceId, layer);
        if (previous.isPresent()) {
            Database.update(c, "UPDATE layers SET content_hash = ?, provenance = ?, region_count = ?, seq = ?, updated_at = ? "
                    + "WHERE slice_id = ? AND name = ?", hash, provenance, inputs.size(), slice.seq, now, sliceId, layer);
        } else {
            Database.update(c, "INSERT INTO layers (slice_id, name, content_hash, provenance, region_count, seq, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", sliceId, layer, hash, provenance, inputs.size(), slice.seq, now);
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
            for (Change e : Database.list(c, "SELECT " + EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
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
                    Database.update(c, "UPDATE regions SET layer = ?, class_name = ?, version = ?, cell = ?, min_x = ?, min_y = ?, "
                                    + "max_x = ?, max_y = ?, geometry = ?, properties = ?, provenance = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                            in.layer(), in.className(), version, cell(in, slice), in.geometry().envelope().getMinX(),
                            in.geometry().envelope().getMinY(), in.geometry().envelope().getMaxX(), in.geometry().envelope().getMaxY(),
                            in.geometry().json(), in.properties(), in.provenance(), now, actor.userId(), s.id());
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
            RegionGeometry g = RegionGeometry.parse(MAPPER.readTree(t.geometry()));
            return new RegionInput(t.layer(), t.className(), g, t.properties(), t.provenance());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
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

    /**
     * Streams the regions a query selects to {@code sink}, in id order (a bbox query without a
     * limit or cursor: in index order); returns how many. Both databases stream the rows
     * ({@link Database#streamingRead}) instead of loading them all first.
     */
    public int query(Query q, int sliceWidth, int sliceHeight, Consumer<Stored> sink) {
        List<Object> params = new ArrayList<>();
        StringBuilder filter = new StringBuilder();
        if (q.layer() != null) {
            filter.append(" AND layer = ?");
        }
        if (q.className() != null) {
            filter.append(" AND class_name = ?");
        }
        if (q.afterId() > 0) {
            filter.append(" AND id > ?");
        }
        String sql;
        if (q.bbox() == null) {
            // H2's planner prefers the cell index and then sorts (spilling to disk past ~40k rows);
            // the hint makes it walk the index that is already in id order. PostgreSQL picks it alone.
            String hint = db.dialect() == Database.Dialect.H2
                    ? " USE INDEX (" + (q.layer() != null ? "regions_slice_layer_id" : "regions_slice_id") + ")" : "";
            sql = "SELECT " + REGION_COLUMNS + " FROM regions" + hint + " WHERE slice_id = ?" + filter + " ORDER BY id";
            params.add(q.sliceId());
            addFilterParams(params, q);
        } else {
            double[] b = q.bbox();
            StringBuilder union = new StringBuilder();
            for (SpatialKey.Range r : ranges(q.sliceId(), b, sliceWidth, sliceHeight)) {
                if (r.largest() < q.minSize()) {
                    continue; // every region in this band is smaller than the level of detail asks
                }
                if (!union.isEmpty()) {
                    union.append(" UNION ALL ");
                }
                union.append("SELECT ").append(REGION_COLUMNS).append(" FROM regions WHERE slice_id = ? AND cell BETWEEN ? AND ?")
                        .append(" AND max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?").append(filter);
                params.add(q.sliceId());
                params.add(r.from());
                params.add(r.to());
                params.add(b[0]);
                params.add(b[2]);
                params.add(b[1]);
                params.add(b[3]);
                addFilterParams(params, q);
                if (r.smallest() < q.minSize()) {
                    union.append(" AND (max_x - min_x >= ? OR max_y - min_y >= ?)");
                    params.add(q.minSize());
                    params.add(q.minSize());
                }
            }
            if (union.isEmpty()) {
                return 0;
            }
            // Paged, the pages follow ids. Unpaged, the rows stream in index order: sorting a whole
            // viewport's geometries first made H2 hold (and spill to disk) all of them.
            boolean paged = q.limit() > 0 || q.afterId() > 0;
            sql = paged ? "SELECT * FROM (" + union + ") q ORDER BY id" : union.toString();
        }
        if (q.limit() > 0) {
            sql += " LIMIT " + q.limit();
        }
        String finalSql = sql;
        return db.streamingRead(c -> {
            try (PreparedStatement ps = c.prepareStatement(finalSql)) {
                ps.setFetchSize(500);
                Database.bind(ps, params.toArray());
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(stored(rs));
                        n++;
                    }
                }
                return n;
            }
        });
    }

    /**
     * The key ranges of a bbox query, without the bands that hold no region of the slice: a layer of
     * nuclei fills one or two of the twenty-odd bands, and each band costs H2 a UNION branch to
     * parse and plan whether it finds rows or not.
     */
    private List<SpatialKey.Range> ranges(long sliceId, double[] b, int sliceWidth, int sliceHeight) {
        int maxLevel = SpatialKey.maxLevelFor(sliceWidth, sliceHeight);
        long occupied = occupiedBands(sliceId, maxLevel);
        List<SpatialKey.Range> out = new ArrayList<>();
        for (SpatialKey.Range r : SpatialKey.bandRanges(b[0], b[1], b[2], b[3], maxLevel)) {
            if ((occupied >>> (int) (r.from() >>> 56) & 1) != 0) {
                out.add(r);
            }
        }
        return out;
    }

    /** Which bands hold a region of the slice, as bits; worked out again after each commit on the slice. */
    private long occupiedBands(long sliceId, int maxLevel) {
        return db.read(c -> {
            long seq = Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), sliceId).orElse(-1L);
            long[] known = occupiedBands.get(sliceId);
            if (known != null && known[0] == seq) {
                return known[1];
            }
            long mask = 0;
            for (int band = 0; band <= SpatialKey.SIZE_BUCKETS + Math.min(maxLevel, SpatialKey.MAX_LEVEL); band++) {
                long from = (long) band << 56;
                if (Database.one(c, "SELECT 1 FROM regions WHERE slice_id = ? AND cell BETWEEN ? AND ? LIMIT 1", rs -> 1,
                        sliceId, from, from | ((1L << 56) - 1)).isPresent()) {
                    mask |= 1L << band;
                }
            }
            occupiedBands.put(sliceId, new long[] {seq, mask});
            return mask;
        });
    }

    /** The bounding box of a region too small to draw as more than a dot, with what colours it. */
    public record Box(long id, String className, double minX, double minY, double maxX, double maxY, String properties) {
    }

    /**
     * Streams the boxes (no geometry) of the regions in {@code q.bbox()} whose both sides are
     * smaller than {@code q.minSize()}: what a level-of-detail query leaves out, for drawing as
     * dots. Reads only the size bands that can hold such regions.
     */
    public int smallBoxes(Query q, int sliceWidth, int sliceHeight, Consumer<Box> sink) {
        double[] b = q.bbox();
        List<Object> params = new ArrayList<>();
        StringBuilder union = new StringBuilder();
        for (SpatialKey.Range r : ranges(q.sliceId(), b, sliceWidth, sliceHeight)) {
            if (r.smallest() >= q.minSize()) {
                continue;
            }
            if (!union.isEmpty()) {
                union.append(" UNION ALL ");
            }
            union.append("SELECT id, class_name, min_x, min_y, max_x, max_y, properties FROM regions WHERE slice_id = ? AND cell BETWEEN ? AND ?"
                    + " AND max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ? AND max_x - min_x < ? AND max_y - min_y < ?");
            params.addAll(List.of(q.sliceId(), r.from(), r.to(), b[0], b[2], b[1], b[3], q.minSize(), q.minSize()));
            if (q.layer() != null) {
                union.append(" AND layer = ?");
                params.add(q.layer());
            }
        }
        if (union.isEmpty()) {
            return 0;
        }
        String sql = union.toString();
        return db.streamingRead(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(2000);
                Database.bind(ps, params.toArray());
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new Box(rs.getLong(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                                rs.getDouble(6), rs.getString(7)));
                        n++;
                    }
                }
                return n;
            }
        });
    }

    /** The last commit that changed a layer of the slice (0 when the layer never had a region). */
    public long layerSeq(long sliceId, String layer) {
        return db.read(c -> Database.one(c, "SELECT MAX(seq) FROM region_events WHERE slice_id = ? AND layer = ?",
                rs -> rs.getLong(1), sliceId, layer).orElse(0L));
    }

    /**
     * How many index entries a bbox query reads before the bounding-box columns filter them: the
     * rows of its key ranges. This is the query's cost; the spatial-index tests check that it
     * follows the result, not the layer.
     */
    public long candidates(Query q, int sliceWidth, int sliceHeight) {
        double[] b = q.bbox();
        long total = 0;
        for (SpatialKey.Range r : ranges(q.sliceId(), b, sliceWidth, sliceHeight)) {
            if (r.largest() < q.minSize()) {
                continue;
            }
            total += db.read(c -> Database.one(c, "SELECT COUNT(*) FROM regions WHERE slice_id = ? AND cell BETWEEN ? AND ?",
                    rs -> rs.getLong(1), q.sliceId(), r.from(), r.to()).orElse(0L));
        }
        return total;
    }

    /**
     * How many regions a level-of-detail query ({@code minSize > 0}) left out. Whole bands of small
     * regions are counted by grid cell from the index alone (they may include a few regions just
     * outside the view, by less than one cell); the band at the threshold is counted exactly.
     */
    public long omitted(Query q, int sliceWidth, int sliceHeight) {
        if (q.bbox() == null || q.minSize() <= 0) {
            return 0;
        }
        double[] b = q.bbox();
        long total = 0;
        for (SpatialKey.Range r : ranges(q.sliceId(), b, sliceWidth, sliceHeight)) {
            boolean skipped = r.largest() < q.minSize();
            if (!skipped && r.smallest() >= q.minSize()) {
                continue;
            }
            List<Object> params = new ArrayList<>(List.of(q.sliceId(), r.from(), r.to()));
            StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM regions WHERE slice_id = ? AND cell BETWEEN ? AND ?");
            if (q.layer() != null) {
                sql.append(" AND layer = ?");
                params.add(q.layer());
            }
            if (q.className() != null) {
                sql.append(" AND class_name = ?");
                params.add(q.className());
            }
            if (!skipped) {
                sql.append(" AND max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ? AND max_x - min_x < ? AND max_y - min_y < ?");
                params.addAll(List.of(b[0], b[2], b[1], b[3], q.minSize(), q.minSize()));
            }
            total += db.read(c -> Database.one(c, sql.toString(), rs -> rs.getLong(1), params.toArray()).orElse(0L));
        }
        return total;
    }

    private static void addFilterParams(List<Object> params, Query q) {
        if (q.layer() != null) {
            params.add(q.layer());
        }
        if (q.className() != null) {
            params.add(q.className());
        }
        if (q.afterId() > 0) {
            params.add(q.afterId());
        }
    }

    /** Events of the slice, newest first, before commit {@code beforeSeq} (0 = all). */
    public List<Change> history(long sliceId, long beforeSeq, int limit) {
        return db.read(c -> Database.list(c, "SELECT " + EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
                + "WHERE e.slice_id = ? AND (? = 0 OR e.seq < ?) ORDER BY e.id DESC LIMIT " + limit, Regions::change, sliceId, beforeSeq, beforeSeq));
    }

    /** Changes after commit {@code since}, oldest first, at most {@code limit}. */
    public List<Change> changesSince(long sliceId, long since, int limit) {
        return db.read(c -> Database.list(c, "SELECT " + EVENT_COLUMNS + " FROM region_events e LEFT JOIN users u ON u.id = e.user_id "
                + "WHERE e.slice_id = ? AND e.seq > ? ORDER BY e.id LIMIT " + limit, Regions::change, sliceId, since));
    }

    /** How many region events there are after {@code since}. */
    public long countChangesSince(long sliceId, long since) {
        return db.read(c -> Database.one(c, "SELECT COUNT(*) FROM region_events WHERE slice_id = ? AND seq > ?",
                rs -> rs.getLong(1), sliceId, since).orElse(0L));
    }

    public long currentSeq(long sliceId) {
        return db.read(c -> Database.one(c, "SELECT change_seq FROM slices WHERE id = ?", rs -> rs.getLong(1), sliceId))
                .orElseThrow(() -> new NotFound("no slice " + sliceId));
    }

    /** The commit an event belongs to (NotFound unless it is an event of this slice). */
    public long seqOfEvent(long sliceId, long eventId) {
        return db.read(c -> Database.one(c, "SELECT seq FROM region_events WHERE id = ? AND slice_id = ?", rs -> rs.getLong(1), eventId, sliceId))
                .orElseThrow(() -> new NotFound("no event " + eventId + " on slice " + sliceId));
    }

    /** The last commit made at or before {@code epochMillis} (0 when none). */
    public long seqAtTime(long sliceId, long epochMillis) {
        return db.read(c -> Database.one(c, "SELECT COALESCE(MAX(seq), 0) FROM region_events WHERE slice_id = ? AND created_at <= ?",
                rs -> rs.getLong(1), sliceId, epochMillis).orElse(0L));
    }

    /** A generated layer of a slice and how many regions its last replacement had. */
    public record LayerCount(long sliceId, String layer, int regions) {
    }

    /** Generated layers (of every slice) whose last replacement had at least {@code minRegions} regions. */
    public List<LayerCount> largeLayers(int minRegions) {
        return db.read(c -> Database.list(c, "SELECT slice_id, name, region_count FROM layers WHERE region_count >= ? ORDER BY slice_id, name",
                rs -> new LayerCount(rs.getLong(1), rs.getString(2), rs.getInt(3)), minRegions));
    }

    /** Generated layers with their provenance. */
    public List<Map<String, Object>> layers(long sliceId) {
        return db.read(c -> Database.list(c, "SELECT name, provenance, region_count, seq, updated_at FROM layers WHERE slice_id = ? ORDER BY name",
                rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", rs.getString(1));
                    m.put("provenance", rs.getString(2));
                    m.put("count", rs.getInt(3));
                    m.put("seq", rs.getLong(4));
                    m.put("updatedAt", rs.getLong(5));
                    return m;
                }, sliceId));
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

    private static String contentHash(String layer, List<RegionInput> inputs, String provenance) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        sha.update((layer + "\n" + provenance + "\n").getBytes(utf8));
        for (RegionInput in : inputs) {
            sha.update((in.className() + "\t" + in.geometry().json() + "\t" + in.properties() + "\n").getBytes(utf8));
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
                rs.getString(7), rs.getString(8));
    }

    private static Change change(ResultSet rs) throws SQLException {
        return new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getInt(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getLong(12));
    }
}
