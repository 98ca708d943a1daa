package org.histodraw.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.histodraw.service.access.ServiceLimits;

/**
 * How the segmentation service starts. It holds no token of its own: every caller sends theirs,
 * and the service acts on the server with it (see docs/service.md). Change a setting with a
 * {@code withX} method or several at once with {@link #toBuilder()}.
 *
 * @param server         the annotation server's root URL
 * @param bindAddress    where the service listens (127.0.0.1 by default)
 * @param port           0 picks a free port
 * @param dataDir        saved models (per project) and job records
 * @param threads        tiles predicted at the same time
 * @param name           the service's name in the server's list and in provenance
 * @param publicUrl      the URL the server's viewer should open (null: http://bindAddress:port/)
 * @param debounceMillis how long edits are gathered before a live retraining
 * @param viewerScript   where the page loads OpenSeadragon from (null: the server's
 *                       {@code /lib/openseadragon/openseadragon.min.js}, which its web front end serves)
 * @param allowedHosts   Host header names accepted besides localhost, 127.0.0.1, [::1], the bind
 *                       address and the public URL's host (against DNS rebinding)
 * @param limits         what one caller may ask (trees, sigmas, trainings and jobs at once...)
 */
public record ServiceConfig(URI server, String bindAddress, int port, Path dataDir, int threads, String name, String publicUrl,
                            long debounceMillis, String viewerScript, List<String> allowedHosts, ServiceLimits limits) {

    public ServiceConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(limits, "limits");
        allowedHosts = List.copyOf(allowedHosts);
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

    public static ServiceConfig of(URI server, Path dataDir) {
        return new Builder(server, dataDir).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServiceConfig withPort(int p) {
        return toBuilder().port(p).build();
    }

    public ServiceConfig withBindAddress(String address) {
        return toBuilder().bindAddress(address).build();
    }

    public ServiceConfig withThreads(int n) {
        return toBuilder().threads(n).build();
    }

    public ServiceConfig withName(String n) {
        return toBuilder().name(n).build();
    }

    public ServiceConfig withPublicUrl(String url) {
        return toBuilder().publicUrl(url).build();
    }

    public ServiceConfig withDebounceMillis(long ms) {
        return toBuilder().debounceMillis(ms).build();
    }

    public ServiceConfig withViewerScript(String url) {
        return toBuilder().viewerScript(url).build();
    }

    public ServiceConfig withAllowedHosts(List<String> hosts) {
        return toBuilder().allowedHosts(hosts).build();
    }

    public ServiceConfig withLimits(ServiceLimits l) {
        return toBuilder().limits(l).build();
    }

    /** The OpenSeadragon script the page loads. */
    public String effectiveViewerScript() {
        if (viewerScript != null) {
            return viewerScript;
        }
        String s = server.toString();
        return (s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/lib/openseadragon/openseadragon.min.js";
    }

    /** Sets several fields at once. */
    public static final class Builder {
        private URI server;
        private String bindAddress = "127.0.0.1";
        private int port = 8090;
        private Path dataDir;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private String name = "histodraw-segmentation";
        private String publicUrl;
        private long debounceMillis = 700;
        private String viewerScript;
        private List<String> allowedHosts = List.of();
        private ServiceLimits limits = ServiceLimits.DEFAULT;

        public Builder(URI server, Path dataDir) {
            this.server = server;
            this.dataDir = dataDir;
        }

        Builder(ServiceConfig c) {
            server = c.server;
            bindAddress = c.bindAddress;
            port = c.port;
            dataDir = c.dataDir;
            threads = c.threads;
            name = c.name;
            publicUrl = c.publicUrl;
            debounceMillis = c.debounceMillis;
            viewerScript = c.viewerScript;
            allowedHosts = c.allowedHosts;
            limits = c.limits;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder publicUrl(String v) {
            publicUrl = v;
            return this;
        }

        public Builder debounceMillis(long v) {
            debounceMillis = v;
            return this;
        }

        public Builder viewerScript(String v) {
            viewerScript = v;
            return this;
        }

        public Builder allowedHosts(List<String> v) {
            allowedHosts = v;
            return this;
        }

        public Builder limits(ServiceLimits v) {
            limits = v;
            return this;
        }

        public ServiceConfig build() {
            return new ServiceConfig(server, bindAddress, port, dataDir, threads, name, publicUrl, debounceMillis, viewerScript,
                    allowedHosts, limits);
        }
    }
}
