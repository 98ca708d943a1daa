package org.histodraw.client;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real annotation server in a process of its own, for the tests of its clients (this module's,
 * and through this module's test jar the Spark job's): the server module's {@code ServerMain} on a
 * free port of 127.0.0.1, its data in the given folder, an administrator {@code admin} /
 * {@code admin-password}, tiles kept lossless (PNG) so pixels read back are the very pixels of the
 * uploaded files. Its own process keeps the clients' tests honest (they link nothing of the server)
 * and lets the Spark tests run it beside Spark, whose Servlet API differs from Jetty 12's.
 *
 * <p>The classpath comes from {@code server/target/runtime-classpath.txt}, which the server
 * module writes when it is built; tests are skipped with that reason when it is missing.
 */
public final class ForkedServer implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String PASSWORD = "admin-password";

    private final Process process;
    private final String url;

    private ForkedServer(Process process, int port) {
        this.process = process;
        this.url = "http://127.0.0.1:" + port;
    }

    /** Starts a server on {@code data} and waits until it listens. */
    public static ForkedServer start(Path data) {
        Path cpFile = Path.of(System.getProperty("histodraw.server.classpath", "../server/target/runtime-classpath.txt"));
        Assumptions.assumeTrue(Files.exists(cpFile), "build the server module first (its runtime-classpath.txt is missing)");
        try {
            String classpath = Path.of(System.getProperty("histodraw.server.classes", "../server/target/classes")).toAbsolutePath()
                    + File.pathSeparator + Files.readString(cpFile).strip();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", classpath, "org.histodraw.server.ServerMain", data.toAbsolutePath().toString(), "--png-tiles")
                    .redirectErrorStream(true).start();
            return new ForkedServer(p, port(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the annotation server: " + e.getMessage(), e);
        }
    }

    /** The server's root, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** Logged in as the administrator, as a browser would be. */
    public BrowserSession admin() {
        return BrowserSession.login(url, ADMIN, PASSWORD);
    }

    /** Reads the server's "PORT n" line, then drains its output in the background. */
    private static int port(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "forked-server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the annotation server ended before it listened");
    }

    /** Stops the server as its users would: by closing its input; forcibly after 20 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
