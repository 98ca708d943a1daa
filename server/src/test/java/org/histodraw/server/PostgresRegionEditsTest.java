package org.histodraw.server;

import java.nio.file.Path;

/** Split, merge, fill holes and the magic wand against a real PostgreSQL. */
class PostgresRegionEditsTest extends RegionEditsTest {
    @Override
    HistoDrawServer start(Path dir) {
        String url = PostgresCluster.shared().newDatabase();
        return HistoDrawServer.start(TestServer.config(dir).withDatabase(url, "histodraw", ""));
    }
}
