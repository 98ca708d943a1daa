package org.histodraw.server;

import java.nio.file.Path;

/** The region tests (versions, bbox, layers, history, restore, concurrency) against a real PostgreSQL. */
class PostgresRegionsApiTest extends RegionsApiTest {
    @Override
    HistoDrawServer start(Path dir) {
        String url = PostgresCluster.shared().newDatabase();
        return HistoDrawServer.start(TestServer.config(dir).withDatabase(url, "histodraw", ""));
    }
}
