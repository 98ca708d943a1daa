package org.histodraw.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the DevTools protocol (a websocket and JSON, with the JDK's own
 * client: no browser-automation library): open a page, run JavaScript in it, wait for conditions.
 * For tests of the service's page in a real browser.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The browser on this machine, if any. */
    static Optional<Path> find() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    Chromium(Path executable, Path profile) throws IOException, InterruptedException {
        process = new ProcessBuilder(executable.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=" + profile, "--window-size=1280,900", "about:blank").start();
        process.getInputStream().close();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        String endpoint = null;
        long end = System.currentTimeMillis() + 30_000;
        for (String line; endpoint == null && System.currentTimeMillis() < end && (line = err.readLine()) != null; ) {
            int at = line.indexOf("DevTools listening on ");
            if (at >= 0) {
                endpoint = line.substring(at + "DevTools listening on ".length()).strip();
            }
        }
        if (endpoint == null) {
            process.destroyForcibly();
            throw new IOException("Chromium did not open its DevTools endpoint");
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // the browser's log is not needed
                }
            } catch (IOException ignored) {
                // the browser stopped
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(endpoint);
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageSocket = null;
        for (JsonNode target : TestApi.JSON.readTree(list)) {
            if (target.path("type").asText().equals("page")) {
                pageSocket = target.get("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageSocket == null) {
            throw new IOException("Chromium has no page to drive: " + list);
        }
        page = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(pageSocket), new Listener())
                .join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = TestApi.JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> f = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(message);
                    }
                } catch (IOException e) {
                    // not for us
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** Sends a DevTools command and waits for its answer. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = TestApi.JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(message.toString(), true).join();
        JsonNode result = answer.get(60, TimeUnit.SECONDS);
        if (result.has("error")) {
            throw new AssertionError(method + ": " + result.get("error"));
        }
        return result.get("result");
    }

    void open(String url) throws Exception {
        call("Page.navigate", TestApi.JSON.createObjectNode().put("url", url));
    }

    /** The value of a JavaScript expression in the page (promises are awaited). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", TestApi.JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until a JavaScript condition holds; fails naming what was awaited and the page's status line. */
    void waitFor(String what, String condition, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (eval("!!(" + condition + ")").asBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("in the browser, never: " + what + " (status line: "
                + eval("document.getElementById('status') ? document.getElementById('status').textContent : ''") + ")");
    }

    @Override
    public void close() {
        page.abort();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
