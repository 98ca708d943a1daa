package org.histodraw.server;

import java.nio.file.Path;

/** A real server on a free port with its data in a temporary folder, an admin "admin" / "admin-password". */
final class TestServer {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password";

    private TestServer() {
    }

    static ServerConfig config(Path dataDir) {
        return ServerConfig.defaults().withDataDir(dataDir).withPort(0).withPasswordCost(4).withAdmin(ADMIN, ADMIN_PASSWORD);
    }

    static HistoDrawServer start(Path dataDir) {
        return HistoDrawServer.start(config(dataDir));
    }
}
