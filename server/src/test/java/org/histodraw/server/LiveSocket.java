package org.histodraw.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A websocket of a slice for tests: queues what it receives, remembers how it was closed. */
final class LiveSocket implements WebSocket.Listener {
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** Completed by the server's first ping. */
    final CompletableFuture<Void> pinged = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket ws;

    /** Connects as the client (its cookies), or with a token in the query. */
    static LiveSocket connect(Client c, long slice, String token) {
        LiveSocket s = new LiveSocket();
        String query = token == null ? "" : "?access_token=" + token;
        HttpClient http = c.http;
        s.ws = http.newWebSocketBuilder().buildAsync(URI.create(c.base.replace("http", "ws") + "/api/v1/slices/" + slice + "/live"
                + query), s).join();
        return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        pinged.complete(null);
        return WebSocket.Listener.super.onPing(webSocket, message); // answers with a pong
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    /** The next message of a type (others skipped), as JSON; fails after 5 s. */
    JsonNode next(String type) throws Exception {
        long end = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < end) {
            String m = received.poll(end - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (m != null) {
                JsonNode n = Client.JSON.readTree(m); // fails on anything that is not JSON
                if (n.get("type").asText().equals(type)) {
                    return n;
                }
            }
        }
        throw new AssertionError("no " + type + " message within 5 s");
    }

    /** The close code the server sent within {@code seconds}, or null when the socket is still open. */
    Integer closedWithin(double seconds) throws Exception {
        try {
            return closed.get((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    void send(String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
