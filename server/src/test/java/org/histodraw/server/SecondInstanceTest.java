package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.histodraw.server.store.Database;
import org.histodraw.server.store.DatabaseInUse;
import org.histodraw.server.store.Instances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2 serves one instance: a second server on the same database is refused with an error that says why and what to do. */
class SecondInstanceTest {
    @Test
    void aSecondServerProcessOnTheSameH2FileIsRefused(@TempDir Path dir) throws Exception {
        try (HistoDrawServer first = TestServer.start(dir)) {
            assertThatThrownBy(() -> ServerProcess.start(dir, Map.of()).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another HistoDraw server")
                    .hasMessageContaining("H2 serves one instance only")
                    .hasMessageContaining("--database jdbc:postgresql://");
            Client admin = Client.login(first.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            assertThat(admin.get("/api/v1/projects").status()).as("the first one still works").isEqualTo(200);
        }
        try (ServerProcess again = ServerProcess.start(dir, Map.of())) {
            assertThat(again.port).as("once the first stopped, another starts").isPositive();
        }
    }

    @Test
    void aSecondServerOnAnH2ServerDatabaseIsRefusedByTheInstanceTable(@TempDir Path dir) {
        // AUTO_SERVER lets a second process open the file, so the lock does not refuse it: the table does.
        String url = "jdbc:h2:file:" + dir.resolve("db").resolve("histodraw") + ";DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
        try (HistoDrawServer first = HistoDrawServer.start(TestServer.config(dir.resolve("a")).withDatabase(url, null, null))) {
            assertThatThrownBy(() -> HistoDrawServer.start(TestServer.config(dir.resolve("b")).withDatabase(url, null, null)))
                    .isInstanceOf(DatabaseInUse.class)
                    .hasMessageContaining("another HistoDraw server")
                    .hasMessageContaining("H2 serves one instance only");
        }
        try (Database db = Database.open(url, null, null)) {
            assertThat(new Instances(db).all()).as("a clean stop leaves the table empty").isEmpty();
        }
    }
}
