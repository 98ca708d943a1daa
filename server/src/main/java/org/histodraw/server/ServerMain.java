package org.histodraw.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * A server in a process of its own, for programs that must not share a JVM with it (the Spark
 * job's tests: Spark and Jetty 12 want different Servlet APIs) or must not link against it (the
 * segmentation service's tests: it talks to the server only over HTTP). Starts on a free port of
 * 127.0.0.1 with an administrator {@code admin} / {@code admin-password}, prints {@code PORT n} on
 * standard output once it listens, and serves until its standard input closes.
 *
 * <pre>java -cp ... org.histodraw.server.ServerMain DATA_DIR [--png-tiles] [--database JDBC-URL] [--trusted-proxy ADDRESS]</pre>
 * with the database's user and password from {@code HISTODRAW_DB_USER} and {@code HISTODRAW_DB_PASSWORD}.
 * (Users run {@code histodraw serve}.)
 */
public final class ServerMain {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password";

    private ServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ServerMain DATA_DIR [--png-tiles] [--database JDBC-URL]");
            System.exit(2);
        }
        ServerConfig.Builder config = ServerConfig.defaults().toBuilder().dataDir(Path.of(args[0])).port(0).passwordCost(4)
                .admin(ADMIN, ADMIN_PASSWORD);
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--png-tiles" -> config.tileFormat(TileFormat.PNG);
                case "--trusted-proxy" -> config.trustedProxies(Set.of(args[++i]));
                case "--database" -> config.database(args[++i], System.getenv("HISTODRAW_DB_USER"),
                        System.getenv("HISTODRAW_DB_PASSWORD"));
                default -> {
                    System.err.println("ServerMain: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        try (HistoDrawServer server = HistoDrawServer.start(config.build())) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until whoever started us closes our input
            }
        }
    }
}
