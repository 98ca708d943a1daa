package org.histodraw.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where imported regions came from: the id each had in the tool it came from (QuPath's object
 * UUID, MicroDraw's uid), kept in {@code region_external_ids} beside the regions so that no edit of a
 * region (which replaces its properties) loses it. An import looks the ids up to update the regions
 * it brought before instead of adding copies; an export gives them back.
 */
public final class RegionOrigins {
    private static final int CHUNK = 500;
    private final Database db;

    public RegionOrigins(Database db) {
        this.db = db;
    }

    /** The live regions of the slice that the given external ids name (ids of deleted regions are left out). */
    public Map<String, Long> regionsNamed(long sliceId, Collection<String> externalIds) {
        Map<String, Long> out = new HashMap<>();
        inChunks(sliceId, externalIds, "SELECT x.external_id, x.region_id FROM region_external_ids x JOIN regions r ON r.id = x.region_id "
                + "WHERE x.slice_id = ? AND x.external_id IN", rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    /** The slice's live regions among {@code regionIds}, as stored. */
    public Map<Long, Regions.Stored> liveRegions(long sliceId, Collection<Long> regionIds) {
        Map<Long, Regions.Stored> out = new HashMap<>();
        inChunks(sliceId, regionIds, "SELECT id, slice_id, layer, class_name, version, geometry, properties, provenance FROM regions "
                + "WHERE slice_id = ? AND id IN", rs -> out.put(rs.getLong(1), new Regions.Stored(rs.getLong(1), rs.getLong(2),
                rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8))));
        return out;
    }

    /** Runs {@code sql (?, ?, ...)} for the slice over the values, a few hundred at a time, handing on every row. */
    private void inChunks(long sliceId, Collection<?> values, String sql, Database.RowMapper<Object> row) {
        List<?> all = new ArrayList<>(values);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<?> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            Object[] params = new Object[chunk.size() + 1];
            params[0] = sliceId;
            for (int i = 0; i < chunk.size(); i++) {
                params[i + 1] = chunk.get(i);
            }
            db.read(c -> Database.list(c, sql + " (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")", row, params));
        }
    }

    /** Region id to external id, for every region of the slice that has one. */
    public Map<Long, String> externalIds(long sliceId) {
        return db.read(c -> {
            Map<Long, String> out = new HashMap<>();
            for (Object[] row : Database.list(c, "SELECT region_id, external_id FROM region_external_ids WHERE slice_id = ?",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, sliceId)) {
                out.put((Long) row[0], (String) row[1]);
            }
            return out;
        });
    }

    /**
     * Records external ids inside the transaction of the commit that made the regions: an id moves
     * to its new region (from a deleted one), a region's earlier id is replaced.
     */
    public static void record(Connection c, long sliceId, Map<Long, String> externalIdOfRegion) throws SQLException {
        for (Map.Entry<Long, String> e : externalIdOfRegion.entrySet()) {
            Database.update(c, "DELETE FROM region_external_ids WHERE region_id = ? OR (slice_id = ? AND external_id = ?)",
                    e.getKey(), sliceId, e.getValue());
            Database.update(c, "INSERT INTO region_external_ids (region_id, slice_id, external_id) VALUES (?, ?, ?)",
                    e.getKey(), sliceId, e.getValue());
        }
    }

    /**
     * Lists a layer that an import wrote into (other than the human one) among the slice's generated
     * layers, with its region count, so that viewers show it like a service's results (as tiles when large).
     */
    public static void listLayer(Connection c, long sliceId, String layer, String provenance, long seq) throws SQLException {
        int count = Database.one(c, "SELECT COUNT(*) FROM regions WHERE slice_id = ? AND layer = ?", rs -> rs.getInt(1), sliceId, layer)
                .orElse(0);
        long now = System.currentTimeMillis();
        // no content hash of a replacement: the next replacement of the layer always applies
        String hash = "imported".repeat(8);
        if (Database.update(c, "UPDATE layers SET content_hash = ?, provenance = ?, region_count = ?, seq = ?, updated_at = ? "
                + "WHERE slice_id = ? AND name = ?", hash, provenance, count, seq, now, sliceId, layer) == 0) {
            Database.update(c, "INSERT INTO layers (slice_id, name, content_hash, provenance, region_count, seq, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", sliceId, layer, hash, provenance, count, seq, now);
        }
    }
}
