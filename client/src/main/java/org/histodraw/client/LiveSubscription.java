package org.histodraw.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A slice's live websocket ({@code /api/v1/slices/{id}/live}): hands every message (snapshot,
 * change, layer, reload...) to a listener, and reconnects after a second when the connection
 * drops, so a restarted server is picked up again; while reconnecting fails (a server that is
 * down, a token that no longer works) the wait doubles, up to half a minute. The first message after each (re)connection is
 * a snapshot: listeners treat it as "anything may have changed".
 */
public final class LiveSubscription implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI uri;
    private final Supplier<String> token;
    private final Consumer<JsonNode> listener;
    private final ScheduledExecutorService retry;
    private volatile WebSocket socket;
    private volatile boolean closed;
    private volatile long retrySeconds = 1;
    // Completed by the first snapshot: the server has registered us, so no later change is missed.
    private final CompletableFuture<Void> registered = new CompletableFuture<>();

    LiveSubscription(HttpClient http, URI uri, Supplier<String> token, Consumer<JsonNode> listener) {
        this.http = http;
        this.uri = uri;
        this.token = token;
        this.listener = listener;
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "histodraw-live-retry");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects and waits (up to 10 s) until the server has registered the subscription (its first
     * snapshot message): every change committed after this returns is delivered. Later drops
     * reconnect in the background.
     */
    void connect() {
        try {
            open().get(10, TimeUnit.SECONDS);
            registered.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new ServerException("cannot subscribe to " + uri + ": " + e.getMessage(), e);
        }
    }

    private CompletableFuture<WebSocket> open() {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        String t = token.get();
        if (t != null) {
            b.header("Authorization", "Bearer " + t);
        }
        return b.buildAsync(uri, new Listener()).thenApply(ws -> {
            socket = ws;
            retrySeconds = 1;
            if (closed) {
                ws.abort();
            }
            return ws;
        });
    }

    private void reconnectLater() {
        if (closed) {
            return;
        }
        long wait = retrySeconds;
        retrySeconds = Math.min(30, wait * 2);
        retry.schedule(() -> {
            if (!closed) {
                open().exceptionally(e -> {
                    reconnectLater();
                    return null;
                });
            }
        }, wait, TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        // A message may arrive in several frames: collected here until the last one.
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    JsonNode parsed = JSON.readTree(message);
                    if ("snapshot".equals(parsed.path("type").asText())) {
                        registered.complete(null);
                    }
                    listener.accept(parsed);
                } catch (Exception e) {
                    // A listener failure must not end the subscription.
                    System.err.println("histodraw service: live message not handled: " + e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            reconnectLater();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reconnectLater();
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        retry.shutdownNow();
    }
}
