package org.histodraw.server;

import java.nio.file.Path;

/** The viewport cost and level-of-detail checks against a real PostgreSQL. */
class PostgresViewportCostTest extends ViewportCostTest {
    @Override
    HistoDrawServer start(Path dir) {
        String url = PostgresCluster.shared().newDatabase();
        return HistoDrawServer.start(TestServer.config(dir).withDatabase(url, "histodraw", ""));
    }
}
