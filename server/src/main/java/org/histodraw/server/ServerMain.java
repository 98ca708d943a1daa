package org.histodraw.server;

import java.io.IOException;
import java.nio.file.Path;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * A server in a process of its own, for programs that must not share a JVM with it (the Spark
 * job's tests: Spark and Jetty 12 want different Servlet APIs) or must not link against it (the
 * segmentation service's tests: it talks to the server only over HTTP). Starts on a free port of
 * 127.0.0.1 with an administrator {@code admin} / {@code admin-password}, prints {@code PORT n} on
 * standard output once it listens, and serves until its standard input closes.
 *
 * <pre>java -cp ... org.histodraw.server.ServerMain DATA_DIR [--png-tiles]</pre>
 * (Users run {@code histodraw serve}.)
 */
public final class ServerMain {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password";

    private ServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ServerMain DATA_DIR [--png-tiles]");
            System.exit(2);
        }
        ServerConfig config = ServerConfig.defaults().withDataDir(Path.of(args[0])).withPort(0).withPasswordCost(4)
                .withAdmin(ADMIN, ADMIN_PASSWORD);
        if (args.length > 1 && args[1].equals("--png-tiles")) {
            config = config.withTileFormat(TileFormat.PNG);
        }
        try (HistoDrawServer server = HistoDrawServer.start(config)) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until whoever started us closes our input
            }
        }
    }
}
