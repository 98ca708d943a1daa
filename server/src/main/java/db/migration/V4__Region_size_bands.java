package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.histodraw.server.store.SpatialKey;

/**
 * Issue 7: the spatial key gets size bands for level of detail and a Morton (Z-order) cell code, so
 * a viewport query reads a few index ranges per band at any zoom (see {@link SpatialKey}). Every
 * region's key is computed again by the same code the server uses, in Java because the bit
 * interleaving has no portable SQL. Also indexes each layer's newest change (the overlay tiles'
 * cache key).
 */
public class V4__Region_size_bands extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        long[] ids = new long[1024];
        long[] cells = new long[1024];
        int n = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT r.id, r.min_x, r.min_y, r.max_x, r.max_y, s.width, s.height "
                     + "FROM regions r JOIN slices s ON s.id = r.slice_id")) {
            while (rs.next()) {
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, n * 2);
                    cells = Arrays.copyOf(cells, n * 2);
                }
                ids[n] = rs.getLong(1);
                cells[n] = SpatialKey.cell(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                        SpatialKey.maxLevelFor(rs.getInt(6), rs.getInt(7)));
                n++;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE regions SET cell = ? WHERE id = ?")) {
            for (int i = 0; i < n; i++) {
                ps.setLong(1, cells[i]);
                ps.setLong(2, ids[i]);
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX region_events_slice_layer_seq ON region_events (slice_id, layer, seq)");
        }
    }
}
