package org.histodraw.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the segmentation service starts.
 *
 * @param server         the annotation server's root URL
 * @param token          an API token of the project to work on (read + write scopes to send results back)
 * @param bindAddress    where the service listens (127.0.0.1 by default: it acts with the token for
 *                       whoever reaches it)
 * @param port           0 picks a free port
 * @param dataDir        saved models and job records
 * @param threads        tiles predicted at the same time
 * @param name           the service's name in the server's list and in provenance
 * @param publicUrl      the URL the server's viewer should open (null: http://bindAddress:port/)
 * @param debounceMillis how long edits are gathered before a live retraining
 * @param viewerScript   where the page loads OpenSeadragon from (null: the server's
 *                       {@code /lib/openseadragon/openseadragon.min.js}, which its web front end serves)
 */
public record ServiceConfig(URI server, String token, String bindAddress, int port, Path dataDir, int threads,
                            String name, String publicUrl, long debounceMillis, String viewerScript) {

    public ServiceConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (debounceMillis < 0) {
            throw new IllegalArgumentException("debounce must be at least 0 ms");
        }
    }

    public static ServiceConfig of(URI server, String token, Path dataDir) {
        return new ServiceConfig(server, token, "127.0.0.1", 8090, dataDir, Math.max(1, Runtime.getRuntime().availableProcessors()),
                "histodraw-segmentation", null, 700, null);
    }

    public ServiceConfig withPort(int p) {
        return new ServiceConfig(server, token, bindAddress, p, dataDir, threads, name, publicUrl, debounceMillis, viewerScript);
    }

    public ServiceConfig withBindAddress(String address) {
        return new ServiceConfig(server, token, address, port, dataDir, threads, name, publicUrl, debounceMillis, viewerScript);
    }

    public ServiceConfig withThreads(int n) {
        return new ServiceConfig(server, token, bindAddress, port, dataDir, n, name, publicUrl, debounceMillis, viewerScript);
    }

    public ServiceConfig withName(String n) {
        return new ServiceConfig(server, token, bindAddress, port, dataDir, threads, n, publicUrl, debounceMillis, viewerScript);
    }

    public ServiceConfig withPublicUrl(String url) {
        return new ServiceConfig(server, token, bindAddress, port, dataDir, threads, name, url, debounceMillis, viewerScript);
    }

    public ServiceConfig withDebounceMillis(long ms) {
        return new ServiceConfig(server, token, bindAddress, port, dataDir, threads, name, publicUrl, ms, viewerScript);
    }

    public ServiceConfig withViewerScript(String url) {
        return new ServiceConfig(server, token, bindAddress, port, dataDir, threads, name, publicUrl, debounceMillis, url);
    }

    /** The OpenSeadragon script the page loads. */
    public String effectiveViewerScript() {
        if (viewerScript != null) {
            return viewerScript;
        }
        String s = server.toString();
        return (s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/lib/openseadragon/openseadragon.min.js";
    }
}
