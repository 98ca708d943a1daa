package org.histodraw.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * nginx from Debian in front of several server instances, as the README's configuration has it
 * (round robin, websockets passed through, the next instance tried when one does not answer):
 * started as a child process on a free port of 127.0.0.1 with a configuration and temporary
 * folders of its own. Tests skip (with the reason) when there is no nginx binary.
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The nginx binary, or a skipped test saying it is missing. */
    static Path binary() {
        Optional<Path> found = List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(found.isPresent(), "nginx tests skipped: no nginx binary (Debian: apt-get install nginx-light)");
        return found.get();
    }

    static Nginx start(Path dir, int... upstreamPorts) throws IOException, InterruptedException {
        Path nginx = binary();
        Files.createDirectories(dir.resolve("tmp"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String servers = Arrays.stream(upstreamPorts).mapToObj(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=10s;")
                .collect(Collectors.joining("\n"));
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                %2$s
                }
                """.formatted(dir, config(servers, port));
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(nginx.toString(), "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("nginx stopped: " + Files.readString(dir.resolve("stdout.log"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new Nginx(p, port);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("nginx did not listen on port " + port + " within 10 s");
    }

    /**
     * The README's configuration ({@code docs/nginx/histodraw.conf}) with the test's instances in
     * the upstream block and a free port of 127.0.0.1 to listen on.
     */
    static String config(String servers, int port) throws IOException {
        String conf = Files.readString(Path.of("..", "docs", "nginx", "histodraw.conf"));
        String replaced = conf.replaceAll("(?m)^\\s*server 127\\.0\\.0\\.1:808\\d[^\\n]*\\n", "")
                .replace("keepalive 64;", servers.strip() + "\n    keepalive 64;")
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";");
        if (replaced.equals(conf) || !replaced.contains("127.0.0.1:" + port)) {
            throw new IllegalStateException("docs/nginx/histodraw.conf no longer has the lines the test replaces");
        }
        return replaced;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
