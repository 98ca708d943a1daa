package org.histodraw.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.histodraw.slides.pyramid.PyramidLayout;
import org.histodraw.slides.pyramid.TileFormat;

/** Series and their slices, and the registered analysis services. */
public final class Slides {
    private static final String SLICE_COLUMNS = "s.id, s.series_id, r.project_id, s.name, s.position, s.width, s.height, "
            + "s.microns_per_pixel, s.tile_size, s.tile_overlap, s.tile_format, s.storage_key, s.change_seq, "
            + "s.source_kind, s.source_file, s.linked, s.file_format, s.vendor, s.objective_power, s.associated_images";
    private static final String SLICE_FROM = " FROM slices s JOIN series r ON r.id = s.series_id";
    private final Database db;

    public Slides(Database db) {
        this.db = db;
    }

    public Series createSeries(long projectId, String name) {
        Projects.checkName(name, "series name");
        return db.transaction(c -> {
            long id = Database.insert(c, "INSERT INTO series (project_id, name, created_at) VALUES (?, ?, ?)",
                    projectId, name, System.currentTimeMillis());
            return new Series(id, projectId, name);
        });
    }

    public Optional<Series> series(long id) {
        return db.read(c -> Database.one(c, "SELECT id, project_id, name FROM series WHERE id = ?", Slides::series, id));
    }

    public List<Series> seriesOf(long projectId) {
        return db.read(c -> Database.list(c, "SELECT id, project_id, name FROM series WHERE project_id = ? ORDER BY id",
                Slides::series, projectId));
    }

    public List<Slice> slicesOf(long seriesId) {
        return db.read(c -> Database.list(c, "SELECT " + SLICE_COLUMNS + SLICE_FROM + " WHERE s.series_id = ? ORDER BY s.position, s.id",
                Slides::slice, seriesId));
    }

    public Optional<Slice> slice(long id) {
        return db.read(c -> Database.one(c, "SELECT " + SLICE_COLUMNS + SLICE_FROM + " WHERE s.id = ?", Slides::slice, id));
    }

    /** Records a slice whose pyramid lies under its storage key (as earlier versions built them). */
    public Slice addSlice(long seriesId, String name, Double position, PyramidLayout layout, Double micronsPerPixel, String storageKey) {
        return addSlice(seriesId, name, position, layout, micronsPerPixel, storageKey, SliceSource.pyramid(storageKey));
    }

    /** Records a slice read from {@code source}; {@code position} null puts it after the last one of the series. */
    public Slice addSlice(long seriesId, String name, Double position, PyramidLayout layout, Double micronsPerPixel, String storageKey,
                          SliceSource source) {
        Projects.checkName(name, "slice name");
        return db.transaction(c -> {
            Database.one(c, "SELECT id FROM series WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), seriesId)
                    .orElseThrow(() -> new NotFound("no series " + seriesId));
            double pos = position != null ? position
                    : Database.one(c, "SELECT COALESCE(MAX(position) + 1, 0) FROM slices WHERE series_id = ?",
                            rs -> rs.getDouble(1), seriesId).orElse(0.0);
            long id = Database.insert(c, "INSERT INTO slices (series_id, name, position, width, height, microns_per_pixel, "
                            + "tile_size, tile_overlap, tile_format, storage_key, created_at, source_kind, source_file, linked, "
                            + "file_format, vendor, objective_power, associated_images) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    seriesId, name, pos, layout.width(), layout.height(), micronsPerPixel, layout.tileSize(), layout.overlap(),
                    layout.format().extension(), storageKey, System.currentTimeMillis(), source.kind(), source.file(),
                    source.linked(), source.format(), source.vendor(), source.objectivePower(),
                    String.join("\n", source.associatedImages()));
            return Database.one(c, "SELECT " + SLICE_COLUMNS + SLICE_FROM + " WHERE s.id = ?", Slides::slice, id).orElseThrow();
        });
    }

    /**
     * Renames a slice and/or sets its pixel size (null leaves a field as it is); returns the slice.
     * {@code clearPixelSize} forgets the pixel size.
     */
    public Slice updateSlice(long id, String name, Double micronsPerPixel, boolean clearPixelSize) {
        if (name != null) {
            Projects.checkName(name, "slice name");
        }
        if (micronsPerPixel != null && !(micronsPerPixel > 0 && micronsPerPixel < 1e6)) {
            throw new InvalidInput("micronsPerPixel must be a positive number of microns: " + micronsPerPixel);
        }
        return db.transaction(c -> {
            Database.one(c, "SELECT id FROM slices WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), id)
                    .orElseThrow(() -> new NotFound("no slice " + id));
            if (name != null) {
                Database.update(c, "UPDATE slices SET name = ? WHERE id = ?", name, id);
            }
            if (micronsPerPixel != null || clearPixelSize) {
                Database.update(c, "UPDATE slices SET microns_per_pixel = ? WHERE id = ?", micronsPerPixel, id);
            }
            return Database.one(c, "SELECT " + SLICE_COLUMNS + SLICE_FROM + " WHERE s.id = ?", Slides::slice, id).orElseThrow();
        });
    }

    public List<Map<String, Object>> services() {
        return db.read(c -> Database.list(c, "SELECT id, name, url FROM services ORDER BY name",
                rs -> Map.<String, Object>of("id", rs.getLong(1), "name", rs.getString(2), "url", rs.getString(3))));
    }

    public Map<String, Object> addService(String name, String url) {
        Projects.checkName(name, "service name");
        if (url == null || !url.matches("https?://[^\\s]{1,1990}")) {
            throw new InvalidInput("service url must be an http or https URL: " + url);
        }
        return db.transaction(c -> {
            if (Database.one(c, "SELECT id FROM services WHERE name = ?", rs -> rs.getLong(1), name).isPresent()) {
                throw new Conflict("a service is already registered as " + name);
            }
            long id = Database.insert(c, "INSERT INTO services (name, url, created_at) VALUES (?, ?, ?)", name, url, System.currentTimeMillis());
            return Map.<String, Object>of("id", id, "name", name, "url", url);
        });
    }

    private static Series series(ResultSet rs) throws SQLException {
        return new Series(rs.getLong(1), rs.getLong(2), rs.getString(3));
    }

    static Slice slice(ResultSet rs) throws SQLException {
        double mpp = rs.getDouble(8);
        Double micronsPerPixel = rs.wasNull() ? null : mpp;
        double power = rs.getDouble(19);
        Double objectivePower = rs.wasNull() ? null : power;
        String associated = rs.getString(20);
        SliceSource source = new SliceSource(rs.getString(14), rs.getString(15), rs.getBoolean(16),
                rs.getString(17) == null ? "Deep Zoom" : rs.getString(17), rs.getString(18), objectivePower,
                associated == null || associated.isEmpty() ? List.of() : List.of(associated.split("\n")));
        return new Slice(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getDouble(5), rs.getInt(6), rs.getInt(7),
                micronsPerPixel, rs.getInt(9), rs.getInt(10), TileFormat.parse(rs.getString(11)), rs.getString(12), rs.getLong(13),
                source);
    }
}
