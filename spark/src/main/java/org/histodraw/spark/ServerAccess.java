package org.histodraw.spark;

import java.io.Serializable;
import java.net.URI;
import org.histodraw.client.ServerClient;

/**
 * The annotation server a cohort reads its slides from (and posts results back to): its address and
 * an API token of the project. Shipped to the executors with the tasks, so keep the token's scopes
 * to what the job needs (read, plus write for {@code --post-back}).
 */
record ServerAccess(String url, String token) implements Serializable {
    ServerAccess {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("--server must be an http:// or https:// address, not " + url);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--server needs an API token: --token T or HISTODRAW_TOKEN");
        }
    }

    ServerClient client() {
        return new ServerClient(URI.create(url.endsWith("/") ? url : url + "/"), token);
    }

    @Override
    public String toString() {
        return "ServerAccess[" + url + "]"; // never the token (logs, Spark UI)
    }
}
