package org.histodraw.server;

import java.nio.file.Path;

/** The staged-layer tests (V3 migration, one-transaction commit, access) against a real PostgreSQL. */
class PostgresStagedLayersApiTest extends StagedLayersApiTest {
    @Override
    HistoDrawServer start(Path dir) {
        String url = PostgresCluster.shared().newDatabase();
        return HistoDrawServer.start(TestServer.config(dir).withDatabase(url, "histodraw", ""));
    }
}
