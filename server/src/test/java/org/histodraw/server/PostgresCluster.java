package org.histodraw.server;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster for tests, from Debian's server binaries
 * ({@code /usr/lib/postgresql/N/bin}): initdb into a temporary folder, start on 127.0.0.1 at a free
 * port (unix socket in the same folder), trust authentication. The shared one ({@link #shared})
 * runs with fsync and synchronous commits off for speed; the crash test starts its own with the
 * settings it needs ({@link #dedicated}) and crashes it ({@link #crash}: an immediate stop, which
 * is what a killed server looks like to PostgreSQL) and starts it again ({@link #restart}). Root
 * cannot run PostgreSQL, so as root the commands run as the {@code postgres} user through
 * {@code runuser}. Clusters are stopped and deleted at exit. Tests skip (with the reason) when the
 * binaries are absent.
 */
final class PostgresCluster {
    private static PostgresCluster shared;
    private static String unavailable;
    private final AtomicInteger databases = new AtomicInteger();
    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;
    /** The server's command line options (port, socket folder, settings), kept for restarts. */
    private String options;

    private PostgresCluster(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The JVM's cluster, started on first use; skips the calling test when PostgreSQL cannot run here. */
    static synchronized PostgresCluster shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (Exception e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(shared != null, () -> "PostgreSQL tests skipped: " + unavailable);
        return shared;
    }

    /** A cluster of its own, with {@code settings} (such as "fsync=on") on the server's command line. */
    static PostgresCluster dedicated(String... settings) {
        try {
            return start(settings);
        } catch (Exception e) {
            Assumptions.assumeTrue(false, "PostgreSQL tests skipped: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    private static PostgresCluster start() throws IOException, InterruptedException {
        return start("fsync=off", "synchronous_commit=off", "full_page_writes=off");
    }

    /** Stops the cluster as a crash would: no checkpoint, no flush of what waits in memory. */
    void crash() throws IOException, InterruptedException {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    }

    /** Starts it again after {@link #crash} (recovering from its write-ahead log). */
    void restart() throws IOException, InterruptedException {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o", options, "start");
    }

    private static PostgresCluster start(String... settings) throws IOException, InterruptedException {
        Path bin = findBin().orElseThrow(() -> new IOException(
                "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("histodraw-pg");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false, bin);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresCluster c = new PostgresCluster(dir, bin, port, root);
        c.pg("initdb", "-D", dir.resolve("data").toString(), "-U", "histodraw", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        StringBuilder options = new StringBuilder("-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1");
        for (String setting : settings) {
            options.append(" -c ").append(setting);
        }
        c.options = options.toString();
        c.restart();
        Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
        return c;
    }

    private static Optional<Path> findBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString(), Comparator.comparingInt(v -> {
                        try {
                            return Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            return 0;
                        }
                    })));
        }
    }

    private void pg(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        run(cmd, asPostgres, bin);
    }

    private static void run(List<String> command, boolean asPostgres, Path bin) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(new File("/")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    /** A new empty database; returns its JDBC URL (user histodraw, no password). */
    String newDatabase() {
        String name = "histodraw_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "histodraw", "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    private String url(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    private void stop() {
        try {
            pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (Exception e) {
            // the JVM is exiting; the folder goes anyway
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
