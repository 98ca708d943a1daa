package org.histodraw.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reading the regions of slices by place: viewport queries over the spatial key ({@link SpatialKey}:
 * a few index ranges per size band, only the bands that hold regions), level of detail (regions
 * smaller than a screen pixel left out, counted, or handed on as dots), and the layers' versions.
 * Both databases stream the rows ({@link Database#streamingRead}) instead of loading them all first.
 */
public final class RegionQueries {
    private final Database db;
    /** Slice id to {change seq, bands holding a region (bits)}. */
    private final Map<Long, long[]> occupiedBands = new ConcurrentHashMap<>();

    RegionQueries(Database db) {
        this.db = db;
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

    /** The bounding box of a region too small to draw as more than a dot, with what colours it. */
    public record Box(long id, String className, double minX, double minY, double maxX, double maxY, String properties) {
    }

    /** A generated layer of a slice and how many regions its last replacement had. */
    public record LayerCount(long sliceId, String layer, int regions) {
    }

    /**
     * Streams the regions a query selects to {@code sink}, in id order (a bbox query without a
     * limit or cursor: in index order); returns how many. Both databases stream the rows
     * ({@link Database#streamingRead}) instead of loading them all first.
     */
    public int query(Query q, int sliceWidth, int sliceHeight, Consumer<Regions.Stored> sink) {
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
            sql = "SELECT " + Regions.REGION_COLUMNS + " FROM regions" + hint + " WHERE slice_id = ?" + filter + " ORDER BY id";
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
                union.append("SELECT ").append(Regions.REGION_COLUMNS).append(" FROM regions WHERE slice_id = ? AND cell BETWEEN ? AND ?")
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
                        sink.accept(Regions.stored(rs));
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
}
