package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one PostgreSQL database: when the connections that listen for the other
 * instance's notices are cut (PostgreSQL restarted, a network hiccup), the commits made meanwhile
 * still reach the watchers, in order, once the listener is back (or by the catch-up poll).
 */
class ListenerReconnectTest {
    @Test
    void commitsMadeWhileTheListenerWasDownStillArrive(@TempDir Path dir) throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        try (HistoDrawServer a = HistoDrawServer.start(TestServer.config(dir.resolve("a")).withDatabase(url, "histodraw", ""));
             HistoDrawServer b = HistoDrawServer.start(TestServer.config(dir.resolve("b")).withDatabase(url, "histodraw", ""))) {
            Client onA = Client.login(a.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
            long series = onA.newSeries("P", "S");
            Client.Response up = onA.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of());
            long slice = onA.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
            LiveSocket watcher = LiveSocket.connect(Client.login(b.port(), TestServer.ADMIN, TestServer.ADMIN_PASSWORD), slice, null);
            long seq = watcher.next("snapshot").get("seq").asLong();

            int cut = 0;
            try (Connection c = DriverManager.getConnection(url, "histodraw", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         + "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    cut++;
                }
            }
            assertThat(cut).as("listening connections cut").isEqualTo(2);
            for (int i = 0; i < 3; i++) {
                onA.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(10 * i, 10, 5, 5, "Tumor"));
            }
            for (int i = 1; i <= 3; i++) {
                JsonNode change = watcher.next("change");
                assertThat(change.get("seq").asLong()).as("in order, none lost").isEqualTo(seq + i);
            }
            // And live again: the next commit arrives as a notice, at once.
            long t0 = System.nanoTime();
            onA.send("POST", "/api/v1/slices/" + slice + "/regions", RegionsApiTest.box(90, 10, 5, 5, "Tumor"));
            assertThat(watcher.next("change").get("seq").asLong()).isEqualTo(seq + 4);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for an edit to cross once the listener is back").isLessThan(1000);
            assertThat(b.backend().db().broadcast().listening()).isTrue();
            watcher.close();
        }
    }
}
