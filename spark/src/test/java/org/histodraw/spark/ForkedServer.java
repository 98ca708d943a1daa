package org.histodraw.spark;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.junit.jupiter.api.Assumptions;

/**
 * A real annotation server in its own JVM (Jetty 12 and Spark need different Servlet APIs, so they
 * cannot share one), started from the runtime classpath the server module writes. Its
 * {@link #main} prints the port, then serves until its input closes.
 */
final class ForkedServer implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String PASSWORD = "admin-password";

    private final Process process;
    final String base;

    private ForkedServer(Process process, int port) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
    }

    static ForkedServer start(Path data) throws IOException {
        Path cpFile = Path.of(System.getProperty("histodraw.server.classpath", "../server/target/runtime-classpath.txt"));
        Assumptions.assumeTrue(Files.exists(cpFile), "build the server module first (its runtime-classpath.txt is missing)");
        // The server's classes and libraries, then the test classes (which hold this launcher).
        String classpath = String.join(File.pathSeparator, List.of(System.getProperty("histodraw.server.classes", "../server/target/classes"),
                Files.readString(cpFile).strip(), testClasses()));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath, ForkedServer.class.getName(), data.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                int port = Integer.parseInt(line.substring(5).strip());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "forked-server-output");
                drain.setDaemon(true);
                drain.start();
                return new ForkedServer(p, port);
            }
        }
        throw new IllegalStateException("the forked server ended before it started (exit " + p.exitValue() + ")");
    }

    private static String testClasses() {
        try {
            return Path.of(ForkedServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(Path.of(args[0])).withPort(0)
                .withPasswordCost(4).withAdmin(ADMIN, PASSWORD)
                // Lossless tiles: the slides read back over IIIF are the very pixels of the files.
                .withTileFormat(org.histodraw.slides.pyramid.TileFormat.PNG))) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our input
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it ends below anyway
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
