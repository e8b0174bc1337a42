package dev.berth.agent.edge;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeRoute;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Caddy's whole JSON configuration for one edge assignment, purely. Every load carries the admin
 * section (the socket in the 0700 directory, nothing persisted: a load without it would move the
 * admin API to TCP localhost:2019) and turns Caddy's own automatic HTTPS off: the platform is the
 * only ACME client, and certificates arrive opened from the assignment.
 *
 * <p>HTTPS: a connection policy for the certified hosts alone (a host without a certificate, or an
 * unknown one, has its handshake refused); per host its routes longest path first, each a
 * {@code reverse_proxy} round robin over the serving replicas, a refused connection retried on the
 * next one, or a 503 while none serves; anything else a 404. Caddy 2.6 sets {@code X-Forwarded-For},
 * {@code -Proto} and {@code -Host} itself, replacing what clients send, and relays WebSocket
 * upgrades, and writes JSON access entries to a file the agent reads. HTTP: ACME challenges by
 * exact token, a 308 to HTTPS for routed hosts, 404 otherwise; not logged.
 */
final class CaddyConfig {
    static final String ACCESS_LOGGER = "berth_access";
    static final String TRY_DURATION = "5s";
    static final String TRY_INTERVAL = "50ms";
    static final String DIAL_TIMEOUT = "3s";
    static final int ACCESS_LOG_ROLL_MB = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // A policy that matches no real name keeps HTTPS on while no host is certified.
    private static final String NO_CERTIFIED_HOST = "no-certificate.berth.invalid";

    private CaddyConfig() {
    }

    /** Where Caddy's admin socket, storage and access log are, as text: the configuration is built without touching files. */
    record Files(String adminSocket, String storage, String accessLog) {
    }

    /** The configuration as Caddy's {@code POST /load} takes it. */
    static String json(RouteTable routes, List<AcmeChallenge> challenges, List<OpenedCertificate> certificates,
                       EdgeSettings settings, Files files) {
        var root = NODES.objectNode();
        var admin = root.putObject("admin");
        admin.put("listen", "unix/" + files.adminSocket());
        admin.putObject("config").put("persist", false);
        var storage = root.putObject("storage");
        storage.put("module", "file_system");
        storage.put("root", files.storage());
        root.set("logging", logging(files));
        var apps = root.putObject("apps");
        if (!certificates.isEmpty()) {
            var pems = apps.putObject("tls").putObject("certificates").putArray("load_pem");
            for (OpenedCertificate c : certificates) {
                pems.addObject().put("certificate", c.chainPem()).put("key", c.keyPem()).putArray("tags").add("berth-edge");
            }
        }
        var servers = apps.putObject("http").putObject("servers");
        servers.set("berth_https", https(routes, certificates, settings));
        servers.set("berth_http", http(routes, challenges, settings));
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode logging(Files files) {
        var logs = NODES.objectNode();
        var standard = logs.putObject("default");
        standard.put("level", "WARN");
        standard.putArray("exclude").add("http.log.access." + ACCESS_LOGGER);
        var access = logs.putObject(ACCESS_LOGGER);
        var writer = access.putObject("writer");
        writer.put("output", "file");
        writer.put("filename", files.accessLog());
        writer.put("roll_size_mb", ACCESS_LOG_ROLL_MB);
        writer.put("roll_keep", 1);
        access.putObject("encoder").put("format", "json");
        access.putArray("include").add("http.log.access." + ACCESS_LOGGER);
        var logging = NODES.objectNode();
        logging.set("logs", logs);
        return logging;
    }

    private static ObjectNode server(EdgeSettings.Listen listen, String... protocols) {
        var server = NODES.objectNode();
        server.putArray("listen").add(listen.toString());
        var p = server.putArray("protocols");
        for (String protocol : protocols) p.add(protocol);
        server.putObject("automatic_https").put("disable", true);
        return server;
    }

    private static ObjectNode https(RouteTable routes, List<OpenedCertificate> certificates, EdgeSettings settings) {
        var server = server(settings.https(), "h1", "h2");
        // Only HTTPS requests are an app's traffic; redirects and challenges on HTTP are the edge's own.
        server.putObject("logs").put("default_logger_name", ACCESS_LOGGER);
        var sni = server.putArray("tls_connection_policies").addObject().putObject("match").putArray("sni");
        if (certificates.isEmpty()) sni.add(NO_CERTIFIED_HOST);
        for (OpenedCertificate c : certificates) sni.add(c.host());
        var list = server.putArray("routes");
        for (EdgeRoute route : routes.ordered()) {
            var r = list.addObject();
            var match = r.putArray("match").addObject();
            match.putArray("host").add(route.host());
            if (!route.path().equals("/")) match.putArray("path").add(route.path()).add(route.path() + "/*");
            r.putArray("handle").add(route.upstreams().isEmpty()
                    ? text(503, "No replica of " + route.app() + " is serving right now.\n")
                    : proxy(route.upstreams()));
            r.put("terminal", true);
        }
        list.addObject().putArray("handle").add(text(404, "No route for this host and path.\n"));
        return server;
    }

    private static ObjectNode proxy(List<String> upstreams) {
        var proxy = NODES.objectNode();
        proxy.put("handler", "reverse_proxy");
        var ups = proxy.putArray("upstreams");
        for (String u : upstreams) ups.addObject().put("dial", u);
        var balancing = proxy.putObject("load_balancing");
        balancing.putObject("selection_policy").put("policy", "round_robin");
        balancing.put("try_duration", TRY_DURATION);
        balancing.put("try_interval", TRY_INTERVAL);
        proxy.putObject("transport").put("protocol", "http").put("dial_timeout", DIAL_TIMEOUT);
        return proxy;
    }

    private static ObjectNode http(RouteTable routes, List<AcmeChallenge> challenges, EdgeSettings settings) {
        var server = server(settings.http(), "h1");
        var list = server.putArray("routes");
        for (AcmeChallenge challenge : challenges) {
            var r = list.addObject();
            var match = r.putArray("match").addObject();
            match.putArray("host").add(challenge.host());
            // Exact and case-sensitive, as tokens are: the path matcher ignores case. Tokens are [A-Za-z0-9_-] only.
            match.putObject("path_regexp").put("pattern", "^/\\.well-known/acme-challenge/" + challenge.token() + "$");
            r.putArray("handle").add(text(200, challenge.keyAuthorization()));
            r.put("terminal", true);
        }
        var hosts = routes.hosts();
        if (!hosts.isEmpty()) {
            var r = list.addObject();
            ArrayNode names = r.putArray("match").addObject().putArray("host");
            hosts.forEach(names::add);
            int port = settings.https().port();
            var redirect = NODES.objectNode();
            redirect.put("handler", "static_response");
            redirect.put("status_code", 308);
            redirect.putObject("headers").putArray("Location")
                    .add("https://{http.request.host}" + (port == 443 ? "" : ":" + port) + "{http.request.uri}");
            r.putArray("handle").add(redirect);
            r.put("terminal", true);
        }
        list.addObject().putArray("handle").add(text(404, "No route for this host.\n"));
        return server;
    }

    private static ObjectNode text(int status, String body) {
        var handler = NODES.objectNode();
        handler.put("handler", "static_response");
        handler.put("status_code", status);
        handler.putObject("headers").putArray("Content-Type").add("text/plain; charset=utf-8");
        handler.put("body", body);
        return handler;
    }
}
