package org.histodraw.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The server in a JVM of its own ({@link ServerMain}, from this module's classes and the runtime
 * classpath the build writes), so a test can kill it as a crash would: {@link #kill} is SIGKILL
 * on the real process ({@code Process.destroyForcibly}), with no shutdown hook, no flush, no close.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServerProcess start(Path data, Map<String, String> env, String... args) throws IOException {
        return start(data, env, List.of(), args);
    }

    /** As above, with options for the JVM (system properties such as a shorter heartbeat). */
    static ServerProcess start(Path data, Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        Path cpFile = Path.of("target", "runtime-classpath.txt");
        Assumptions.assumeTrue(Files.exists(cpFile), "the build writes target/runtime-classpath.txt before the tests");
        String classpath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Files.readString(cpFile).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "org.histodraw.server.ServerMain", data.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                int port = Integer.parseInt(line.substring(5).strip());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "server-process-output");
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(p, port);
            }
            log.append(line).append('\n');
        }
        throw new IllegalStateException("the server process ended before it listened:\n" + log);
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed server process did not end");
        }
    }

    long pid() {
        return process.pid();
    }

    /** Closes the server's input, as whoever started it does to stop it; whether it ended within {@code seconds}. */
    boolean endsWhenItsInputCloses(double seconds) throws IOException, InterruptedException {
        process.getOutputStream().close();
        return process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it ends below anyway
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
