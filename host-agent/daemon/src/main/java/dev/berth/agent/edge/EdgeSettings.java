package dev.berth.agent.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where an edge listens and what it tells the platform routed host names should resolve to.
 *
 * @param http {@code address:port} of plain HTTP (ACME challenges, redirects to HTTPS)
 * @param https {@code address:port} of HTTPS
 * @param address what DNS of routed hosts should point to, reported in {@code EdgeStatus.address}
 * @param cpus how many threads Caddy runs Go code on at once ({@code GOMAXPROCS}). An edge usually
 *     shares its host with replicas: by default it takes half the cores, at least one. With one per
 *     core, Go's scheduler keeps idle threads spinning for work and hands each request between
 *     cores; on a 2-core host that cost the edge half its added latency (docs/benchmarks.md).
 */
public record EdgeSettings(Listen http, Listen https, String address, int cpus) {
    public static final Listen DEFAULT_HTTP = new Listen("0.0.0.0", 80);
    public static final Listen DEFAULT_HTTPS = new Listen("0.0.0.0", 443);
    public static final int MAX_CPUS = 1024;

    public EdgeSettings {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(https, "https");
        Objects.requireNonNull(address, "address");
        if (http.equals(https)) throw new IllegalArgumentException("HTTP and HTTPS cannot listen on the same address and port " + http);
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("the edge's CPUs must be 1 to " + MAX_CPUS + ", not " + cpus);
    }

    /** With the default number of CPUs. */
    public EdgeSettings(Listen http, Listen https, String address) {
        this(http, https, address, defaultCpus(Runtime.getRuntime().availableProcessors()));
    }

    /** Half of {@code cores}, at least one. */
    public static int defaultCpus(int cores) {
        return Math.max(1, cores / 2);
    }

    /** One listen address: an IPv4 or IPv6 literal and a port. */
    public record Listen(String host, int port) {
        public Listen {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("the port must be 1 to 65535, not " + port);
        }

        /** {@code 0.0.0.0:80} or {@code [::]:443}, parsed; anything else is refused with the reason. */
        public static Listen parse(String text) {
            try {
                var uri = new URI("tcp://" + text);
                String host = uri.getHost();
                if (host != null && uri.getPort() >= 1 && uri.getPort() <= 65535 && uri.getRawPath().isEmpty() && uri.getRawUserInfo() == null
                        && (host + ":" + uri.getPort()).equals(text) && UpstreamAddress.isIpLiteral(host)) {
                    return new Listen(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, uri.getPort());
                }
            } catch (URISyntaxException e) {
                // refused below
            }
            throw new IllegalArgumentException("must be ADDRESS:PORT with an IP address (IPv6 in brackets) and a port from 1 to 65535, not '"
                    + text + "'");
        }

        /** As Caddy's {@code listen} takes it. */
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
