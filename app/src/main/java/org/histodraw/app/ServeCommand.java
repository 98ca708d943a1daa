package org.histodraw.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.histodraw.server.store.DatabaseInUse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code histodraw serve}: the annotation server (REST API, tiles, live collaboration) until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the annotation server: slides as Deep Zoom and IIIF tiles, regions, history, live edits,",
                "users and projects, the public API (described at /api/openapi.json). Stop it with Ctrl-C."})
public final class ServeCommand extends HistoDrawCommand {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "histodraw-data",
            description = "Folder for the database, the slides' tile pyramids and uploads (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--database", paramLabel = "JDBC-URL",
            description = "A PostgreSQL database, e.g. jdbc:postgresql://db/histodraw (default: an H2 file in --data). "
                    + "User and password from HISTODRAW_DB_USER and HISTODRAW_DB_PASSWORD.")
    String database;

    @Option(names = "--max-upload", paramLabel = "SIZE", defaultValue = "32G",
            description = {"The largest slide accepted by upload, in bytes or with K, M, G, T (powers of 1024; default: ${DEFAULT-VALUE}).",
                    "Larger answer 413; register them with `histodraw ingest` (--link reads them where they lie)."})
    String maxUpload;
    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS",
            description = "A reverse proxy in front (nginx before several instances), whose X-Forwarded-For names the client "
                    + "(for the login throttle per address); repeat for several. Default: none, the peer is the client.")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--admin", paramLabel = "NAME",
            description = "Create this administrator on first start, with the password in HISTODRAW_ADMIN_PASSWORD.")
    String admin;

    public ServeCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = config();
        HistoDrawServer started;
        try {
            started = HistoDrawServer.start(config);
        } catch (DatabaseInUse e) {
            throw new UserError(e.getMessage());
        }
        try (HistoDrawServer server = started) {
            terminal.out().println("HistoDraw server on http://" + config.bindAddress() + ":" + server.port()
                    + "/ (data in " + config.dataDir().toAbsolutePath() + "); API: /api/openapi.json; Ctrl-C stops it");
            terminal.out().flush();
            terminal.untilStopped();
        }
        return 0;
    }

    ServerConfig config() {
        Checks checks = checks();
        checks.range("--port", port, 0, 65_535);
        Checks.usableFolder("--data", data);
        ServerConfig config = ServerConfig.defaults().withDataDir(data).withPort(port).withBindAddress(bind)
                .withMaxUploadBytes(bytes(checks, "--max-upload", maxUpload))
                .withTrustedProxies(Set.copyOf(trustedProxies));
        if (database != null) {
            if (!database.startsWith("jdbc:")) {
                throw new UserError("--database: expected a JDBC URL such as jdbc:postgresql://host/db, not " + database);
            }
            config = config.withDatabase(database, env("HISTODRAW_DB_USER"), env("HISTODRAW_DB_PASSWORD"));
        }
        if (admin != null) {
            String password = env("HISTODRAW_ADMIN_PASSWORD");
            if (password == null || password.length() < 8) {
                throw new UserError("--admin: set HISTODRAW_ADMIN_PASSWORD to a password of at least 8 characters");
            }
            config = config.withAdmin(admin, password);
        }
        return config;
    }

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d{1,15})\\s*([KMGT]?)(?:i?B)?\\s*");

    /** "32G", "500M", "1048576": a size in bytes, K/M/G/T (optionally "iB" or "B") meaning powers of 1024. */
    static long bytes(Checks checks, String option, String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw checks.usage(option + " must be a size such as 32G, 500M or a number of bytes, not " + text);
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long value = Long.parseLong(m.group(1));
        if (value < 1 || value > Long.MAX_VALUE >> shift) {
            throw checks.usage(option + " must be at least 1 byte and at most 8 EiB, not " + text);
        }
        return value << shift;
    }

    private static String env(String name) {
        return System.getenv(name);
    }
}
