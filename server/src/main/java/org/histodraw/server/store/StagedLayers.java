package org.histodraw.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    private final int maxRegions;

    /** @param maxRegions regions a job may stage for one slice's layer, all its parts together */
    public StagedLayers(Database db, Regions regions, int maxRegions) {
        this.db = db;
        this.regions = regions;
        this.maxRegions = maxRegions;
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
                + "created_at FROM staged_layers WHERE job_id = ? ORDER BY slice_id, layer", StagedLayers::staged, jobId));
    }

    /** Keeps a layer's regions aside under the job, replacing what the job staged there before. */
    public Staged stage(String jobId, long sliceId, long projectId, String layer, List<RegionInput> inputs,
                        String provenance, Long userId) {
        checkJobId(jobId);
        RegionInput.checkLayer(layer);
        Objects.requireNonNull(provenance, "provenance");
        long now = System.currentTimeMillis();
        requireRoom(sliceId, layer, inputs.size());
        db.transaction(c -> {
            Database.update(c, "DELETE FROM staged_regions WHERE job_id = ? AND slice_id = ? AND layer = ?", jobId, sliceId, layer);
            Database.update(c, "DELETE FROM staged_layers WHERE job_id = ? AND slice_id = ? AND layer = ?", jobId, sliceId, layer);
            Database.update(c, "INSERT INTO staged_layers (job_id, slice_id, layer, project_id, user_id, provenance, region_count, "
                    + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", jobId, sliceId, layer, projectId, userId, provenance,
                    inputs.size(), now);
            insertRegions(c, jobId, sliceId, layer, inputs);
            return null;
        });
        return new Staged(jobId, sliceId, layer, projectId, userId, provenance, inputs.size(), now);
    }

    /**
     * Adds the next part of a layer too large for one request to what the job staged there with
     * {@link #stage} (the first part). A part carries the first part's provenance.
     *
     * @throws InvalidInput   when nothing is staged there yet, or the provenance differs
     * @throws LimitExceeded  past {@code maxRegions} for the layer, all parts together
     */
    public Staged append(String jobId, long sliceId, String layer, List<RegionInput> inputs, String provenance) {
        checkJobId(jobId);
        RegionInput.checkLayer(layer);
        return db.transaction(c -> {
            Staged was = Database.one(c, "SELECT job_id, slice_id, layer, project_id, user_id, provenance, region_count, "
                    + "created_at FROM staged_layers WHERE job_id = ? AND slice_id = ? AND layer = ? FOR UPDATE", StagedLayers::staged,
                    jobId, sliceId, layer).orElseThrow(() -> new InvalidInput("nothing is staged for layer " + layer + " of slice "
                    + sliceId + " in job " + jobId + ": stage its first part without append"));
            if (!was.provenance().equals(provenance)) {
                throw new InvalidInput("a part of layer " + layer + " must carry the provenance of its first part");
            }
            long total = (long) was.regionCount() + inputs.size();
            if (total > maxRegions) {
                throw tooMany(layer, sliceId, total);
            }
            insertRegions(c, jobId, sliceId, layer, inputs);
            Database.update(c, "UPDATE staged_layers SET region_count = ? WHERE job_id = ? AND slice_id = ? AND layer = ?",
                    (int) total, jobId, sliceId, layer);
            return new Staged(jobId, sliceId, layer, was.projectId(), was.userId(), provenance, (int) total, was.createdAt());
        });
    }

    private void requireRoom(long sliceId, String layer, long regions) {
        if (regions > maxRegions) {
            throw tooMany(layer, sliceId, regions);
        }
    }

    private LimitExceeded tooMany(String layer, long sliceId, long regions) {
        return new LimitExceeded("maxStagedRegions", maxRegions, "layer " + layer + " of slice " + sliceId + " would hold "
                + regions + " regions; a job stages at most " + maxRegions + " per slice");
    }

    private static void insertRegions(Connection c, String jobId, long sliceId, String layer, List<RegionInput> inputs)
            throws SQLException {
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
    }

    private static Staged staged(ResultSet rs) throws SQLException {
        return new Staged(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), (Long) rs.getObject(5, Long.class),
                rs.getString(6), rs.getInt(7), rs.getLong(8));
    }

    /**
     * Publishes every layer staged under the job in one transaction (see
     * {@link Regions#replaceLayers}) and forgets the staging in the same transaction. The staged
     * regions stream from the database (up to {@code maxRegions} per layer), never all in memory.
     */
    public List<Regions.LayerResult> commit(String jobId, Actor actor) {
        List<Staged> staged = job(jobId);
        List<Regions.LayerWrite> writes = new ArrayList<>();
        for (Staged s : staged) {
            writes.add(new Regions.LayerWrite(s.sliceId(), s.layer(), (c, each) -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT class_name, geometry, properties FROM staged_regions "
                        + "WHERE job_id = ? AND slice_id = ? AND layer = ? ORDER BY id")) {
                    ps.setFetchSize(1000); // PostgreSQL streams with a cursor (the commit runs in a transaction)
                    Database.bind(ps, jobId, s.sliceId(), s.layer());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            each.accept(new RegionInput(s.layer(), rs.getString(1), geometry(rs.getString(2)), rs.getString(3),
                                    s.provenance()));
                        }
                    }
                }
            }, s.provenance()));
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
