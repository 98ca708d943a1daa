package org.histodraw.spark;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real annotation server in its own JVM (Jetty 12 and Spark need different Servlet APIs, so they
 * cannot share one): the server module's {@code ServerMain}, started from the runtime classpath that
 * module writes, with lossless (PNG) tiles so the slides read back are the very pixels of the files.
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
        String classpath = System.getProperty("histodraw.server.classes", "../server/target/classes") + File.pathSeparator
                + Files.readString(cpFile).strip();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath, "org.histodraw.server.ServerMain", data.toString(), "--png-tiles").redirectErrorStream(true).start();
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
