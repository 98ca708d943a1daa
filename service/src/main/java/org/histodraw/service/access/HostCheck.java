package org.histodraw.service.access;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.histodraw.service.errors.ClientError;

/**
 * The Host header allow-list, against DNS rebinding: a page of another site that makes its own
 * domain name resolve to 127.0.0.1 can reach a local service from the victim's browser, but its
 * requests carry that domain in Host. Allowed by default: localhost, 127.0.0.1, [::1], the address
 * the service is bound to and the host of its public URL; more with {@code --allow-host}.
 */
public final class HostCheck {
    private final Set<String> allowed = new LinkedHashSet<>();

    public HostCheck(String bindAddress, String publicUrl, List<String> more) {
        allowed.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
        if (bindAddress != null && !bindAddress.equals("0.0.0.0") && !bindAddress.equals("::")) {
            allowed.add(normal(bindAddress));
        }
        if (publicUrl != null && URI.create(publicUrl).getHost() != null) {
            allowed.add(normal(URI.create(publicUrl).getHost()));
        }
        for (String h : more) {
            allowed.add(normal(h));
        }
    }

    /** Refuses (421) a request whose Host header names another host. */
    public void check(String hostHeader) {
        String host = hostOf(hostHeader);
        if (host == null || !allowed.contains(host)) {
            throw new ClientError(421, "this service answers for " + String.join(", ", allowed) + ", not for " + hostHeader
                    + " (start it with --allow-host to add a name)");
        }
    }

    public Set<String> allowed() {
        return Set.copyOf(allowed);
    }

    /** The host of a Host header without its port; IPv6 literals keep their brackets. */
    static String hostOf(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String normal(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }
}
