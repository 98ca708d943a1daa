package org.histodraw.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Layers staged by a job (a segmentation run over a series): kept aside, invisible to every region
 * read, until the job publishes them all at once ({@link #commit}) or drops them ({@link #discard}).
 * A job that dies half-way therefore leaves no partial result anywhere, and its staging can be
 * dropped or simply forgotten. Staging the same slice and layer again within a job replaces it.
 */
public final class StagedLayers {
    /** Staging nobody committed within this time is dropped when the server starts. */
    public static final long ABANDONED_AFTER_MILLIS = 7L * 24 * 3600 * 1000;

    /** What a job has staged for one slice and layer. */
    public record Staged(String jobId, long sliceId, String layer, long projectId, Long userId, String provenance,
                         int regionCount, long createdAt) {
    }

    private final Database db;
    private final Regions regions;

    public StagedLayers(Database db, Regions regions) {
        this.db = db;
        this.regions = regions;
    }

    public static String checkJobId(String jobId) {
        if (jobId == null || !jobId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new InvalidInput("job id must be 1-100 letters, digits or ._- : " + jobId);
        }
        return jobId;
    }

    /** Who owns the job (the user of its first staging), when anything is staged under it. */
    public List<Staged> job(String jobId) {
        return db.read(c -> Database.list(c, "SELECT job_id, slice_id, layer, project_id, user_id, provenance, region_count, "
                + "created_at FROM staged_layers WHERE job_id = ? ORDER BY slice_id, layer", rs -> new Staged(rs.getString(1),
                rs.getLong(2), rs.getString(3), rs.getLong(4), (Long) rs.getObject(5, Long.class), rs.getString(6),
                rs.getInt(7), rs.getLong(8)), jobId));
    }

    /** Keeps a layer's regions aside under the job, replacing what the job staged there before. */
    public Staged stage(String jobId, long sliceId, long projectId, String layer, List<RegionInput> inputs,
                        String provenance, Long userId) {
        checkJobId(jobId);
        RegionInput.checkLayer(layer);
        Objects.requireNonNull(provenance, "provenance");
        long now = System.currentTimeMillis();
        db.transaction(c -> {
            Database.update(c, "DELETE FROM staged_regions WHERE job_id = ? AND slice_id = ? AND layer = ?", jobId, sliceId, layer);
            Database.update(c, "DELETE FROM staged_layers WHERE job_id = ? AND slice_id = ? AND layer = ?", jobId, sliceId, layer);
            Database.update(c, "INSERT INTO staged_layers (job_id, slice_id, layer, project_id, user_id, provenance, region_count, "
                    + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", jobId, sliceId, layer, projectId, userId, provenance,
                    inputs.size(), now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO staged_regions (job_id, slice_id, layer, class_name, "
                    + "geometry, properties) VALUES (?, ?, ?, ?, ?, ?)")) {
                int batched = 0;
                for (RegionInput in : inputs) {
                    Database.bind(ps, jobId, sliceId, layer, in.className(), in.geometry().json(), in.properties());
                    ps.addBatch();
                    if (++batched % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
        return new Staged(jobId, sliceId, layer, projectId, userId, provenance, inputs.size(), now);
    }

    /**
     * Publishes every layer staged under the job in one transaction (see
     * {@link Regions#replaceLayers}) and forgets the staging in the same transaction.
     */
    public List<Regions.LayerResult> commit(String jobId, Actor actor) {
        List<Staged> staged = job(jobId);
        List<Regions.LayerWrite> writes = new ArrayList<>();
        for (Staged s : staged) {
            List<RegionInput> inputs = db.read(c -> Database.list(c, "SELECT class_name, geometry, properties FROM staged_regions "
                    + "WHERE job_id = ? AND slice_id = ? AND layer = ? ORDER BY id", rs -> new RegionInput(s.layer(),
                    rs.getString(1), geometry(rs.getString(2)), rs.getString(3), s.provenance()), jobId, s.sliceId(), s.layer()));
            writes.add(new Regions.LayerWrite(s.sliceId(), s.layer(), inputs, s.provenance()));
        }
        return regions.replaceLayers(writes, actor, c -> {
            delete(c, jobId);
            return null;
        });
    }

    /**
     * Drops every staging older than {@code ageMillis}: what jobs left behind that nobody will
     * commit (a service that died and never came back). Returns how many layers were dropped.
     */
    public int purgeOlderThan(long ageMillis) {
        long before = System.currentTimeMillis() - ageMillis;
        return db.transaction(c -> {
            Database.update(c, "DELETE FROM staged_regions WHERE job_id IN (SELECT job_id FROM staged_layers WHERE created_at < ?)",
                    before);
            return Database.update(c, "DELETE FROM staged_layers WHERE created_at < ?", before);
        });
    }

    /** Drops the job's staging; true when there was any. */
    public boolean discard(String jobId) {
        return db.transaction(c -> delete(c, jobId) > 0);
    }

    private static int delete(Connection c, String jobId) throws SQLException {
        Database.update(c, "DELETE FROM staged_regions WHERE job_id = ?", jobId);
        return Database.update(c, "DELETE FROM staged_layers WHERE job_id = ?", jobId);
    }

    private static RegionGeometry geometry(String json) {
        try {
            return RegionGeometry.parse(Jackson.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
