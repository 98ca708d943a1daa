package org.histodraw.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V4 re-keys regions stored under V1's grid keys with the size bands and Morton codes. */
class RegionSizeBandsMigrationTest {
    @Test
    void regionsStoredBeforeV4GetTheKeysTheServerNowComputes(@TempDir Path dir) throws Exception {
        String url = Database.h2FileUrl(dir);
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").target("1").load().migrate();
        Random random = new Random(5);
        double[][] boxes = new double[500][];
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement st = c.createStatement()) {
            st.execute("INSERT INTO projects (id, name, created_at) VALUES (1, 'p', 0)");
            st.execute("INSERT INTO series (id, project_id, name, created_at) VALUES (1, 1, 's', 0)");
            st.execute("INSERT INTO slices (id, series_id, name, position, width, height, tile_size, tile_overlap, tile_format, "
                    + "storage_key, created_at) VALUES (1, 1, 'x', 0, 60000, 40000, 254, 1, 'jpg', 'k', 0)");
            for (int i = 0; i < boxes.length; i++) {
                double w = Math.pow(10, random.nextDouble() * 5), h = Math.pow(10, random.nextDouble() * 5);
                double x = random.nextDouble() * 60_000, y = random.nextDouble() * 40_000;
                boxes[i] = new double[] {x, y, x + w, y + h};
                st.execute("INSERT INTO regions (id, slice_id, layer, version, cell, min_x, min_y, max_x, max_y, geometry, properties, "
                        + "updated_at) VALUES (" + (i + 1) + ", 1, 'human', 1, 12345, " + x + ", " + y + ", " + (x + w) + ", " + (y + h)
                        + ", '{}', '{}', 0)");
            }
        }
        try (Database db = Database.open(url, "", "")) {
            int maxLevel = SpatialKey.maxLevelFor(60_000, 40_000);
            db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, cell FROM regions ORDER BY id")) {
                    int n = 0;
                    while (rs.next()) {
                        double[] b = boxes[(int) rs.getLong(1) - 1];
                        assertThat(rs.getLong(2)).isEqualTo(SpatialKey.cell(b[0], b[1], b[2], b[3], maxLevel));
                        n++;
                    }
                    assertThat(n).isEqualTo(boxes.length);
                }
                return null;
            });
        }
    }
}
