package org.histodraw.server;

import java.nio.file.Path;

/** Live collaboration and resync against a real PostgreSQL. */
class PostgresLiveCollaborationTest extends LiveCollaborationTest {
    @Override
    HistoDrawServer start(Path dir) {
        String url = PostgresCluster.shared().newDatabase();
        return HistoDrawServer.start(TestServer.config(dir).withDatabase(url, "histodraw", ""));
    }
}
