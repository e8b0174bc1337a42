package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Kind;
import dev.berth.gitsync.definition.YamlNode.Mapping;
import dev.berth.gitsync.definition.YamlNode.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/** An app's ports and its health check, which refers to them. */
final class PortsReader {
    private static final List<String> PORT_KEYS = List.of("name", "port", "publish");
    private static final List<String> HEALTH_KEYS = List.of("http", "tcp", "exec", "interval", "timeout", "healthyAfter");
    private static final List<String> CHECKS = List.of("http", "tcp", "exec");

    private final Values v;
    private final List<Port> ports = new ArrayList<>();
    private final List<YamlNode> publishNodes = new ArrayList<>();
    private final LinkedHashSet<String> names = new LinkedHashSet<>();
    private boolean namesComplete = true;

    PortsReader(Values values) {
        this.v = values;
    }

    List<Port> ports(YamlNode node) {
        var list = node == null ? null : v.list(node, "ports");
        namesComplete = node == null || list != null;
        if (list == null) return ports;
        var numbers = new java.util.HashSet<Integer>();
        for (int i = 0; i < list.items().size(); i++) {
            String where = "ports[" + i + "]";
            Mapping m = v.mapping(list.items().get(i), where);
            if (m == null) {
                namesComplete = false;
                continue;
            }
            v.onlyKnownKeys(m, PORT_KEYS);
            String name = required(m, "name", where) == null ? null : v.string(m.get("name"), where + ".name");
            if (name == null || !Names.isDnsLabel(name)) namesComplete = false;
            if (name != null && !Names.isDnsLabel(name)) {
                v.problems.add(m.get("name").pos(), where + ".name '" + YamlReader.clip(name) + "' must be "
                        + Names.dnsLabelRule());
                name = null;
            } else if (name != null && !names.add(name)) {
                v.problems.add(m.get("name").pos(), "port name '" + name + "' is used twice");
                name = null;
            }
            Integer number = required(m, "port", where) == null ? null
                    : v.integer(m.get("port"), where + ".port", 1, 65535, "");
            if (number != null && !numbers.add(number)) {
                v.problems.add(m.get("port").pos(), "port " + number + " is declared twice");
                continue;
            }
            Boolean publish = m.get("publish") == null ? Boolean.FALSE : v.bool(m.get("publish"), where + ".publish");
            if (name != null && number != null && publish != null) {
                ports.add(new Port(name, number, publish));
                if (publish) publishNodes.add(m.get("publish"));
            }
        }
        return ports;
    }

    /** Every port name the app declares, in file order; null when some could not be read (already reported). */
    SequencedSet<String> declaredNames() {
        return namesComplete ? names : null;
    }

    /** Called when the app has no health check: traffic must not reach a replica nobody checked. */
    void publishedNeedHealth() {
        for (var node : publishNodes) {
            v.problems.add(node.pos(), "a published port needs a health check: add health: so that Berth"
                    + " knows when a replica may receive traffic");
        }
    }

    Health health(YamlNode node) {
        Mapping m = v.mapping(node, "health");
        if (m == null) return null;
        v.onlyKnownKeys(m, HEALTH_KEYS);
        var given = m.entries().stream().map(e -> e.key().text()).filter(CHECKS::contains).toList(); // file order
        if (given.isEmpty()) {
            v.problems.add(m.pos(), "health needs one check: http, tcp or exec");
            return null;
        }
        for (String extra : given.subList(1, given.size())) {
            v.problems.add(m.get(extra).pos(), "health may have only one of http, tcp and exec");
        }
        Health.Check check = switch (given.getFirst()) {
            case "http" -> http(m.get("http"));
            case "tcp" -> tcp(m.get("tcp"));
            default -> exec(m.get("exec"));
        };
        Duration interval = m.get("interval") == null ? Health.DEFAULT_INTERVAL
                : v.duration(m.get("interval"), "health.interval", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration timeout = m.get("timeout") == null ? Health.DEFAULT_TIMEOUT
                : v.duration(m.get("timeout"), "health.timeout", Duration.ofMillis(100), Duration.ofMinutes(1));
        Integer after = m.get("healthyAfter") == null ? Integer.valueOf(Health.DEFAULT_HEALTHY_AFTER)
                : v.integer(m.get("healthyAfter"), "health.healthyAfter", 1, 100, "");
        if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
            YamlNode at = m.get("timeout") != null ? m.get("timeout") : m.get("interval");
            v.problems.add(at.pos(), "health.timeout (" + Units.formatDuration(timeout)
                    + ") must not be longer than health.interval (" + Units.formatDuration(interval) + ")");
            return null;
        }
        return check == null || interval == null || timeout == null || after == null
                ? null : new Health(check, interval, timeout, after);
    }

    private Health.Check http(YamlNode node) {
        Mapping m = v.mapping(node, "health.http");
        if (m == null) return null;
        v.onlyKnownKeys(m, List.of("port", "path"));
        Integer port = required(m, "port", "health.http") == null ? null : portRef(m.get("port"), "health.http.port");
        String path = "/";
        if (m.get("path") != null) {
            path = v.string(m.get("path"), "health.http.path");
            if (path != null && (!path.startsWith("/") || path.length() > 1024
                    || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F))) {
                v.problems.add(m.get("path").pos(), "health.http.path must start with '/' and contain no spaces,"
                        + " control or non-ASCII characters (percent-encode them)");
                path = null;
            }
        }
        return port == null || path == null ? null : new Health.Http(port, path);
    }

    private Health.Check tcp(YamlNode node) {
        Mapping m = v.mapping(node, "health.tcp");
        if (m == null) return null;
        v.onlyKnownKeys(m, List.of("port"));
        Integer port = required(m, "port", "health.tcp") == null ? null : portRef(m.get("port"), "health.tcp.port");
        return port == null ? null : new Health.Tcp(port);
    }

    private Health.Check exec(YamlNode node) {
        Mapping m = v.mapping(node, "health.exec");
        if (m == null) return null;
        v.onlyKnownKeys(m, List.of("command"));
        if (required(m, "command", "health.exec") == null) return null;
        List<String> command = v.command(m.get("command"), "health.exec.command");
        return command == null ? null : new Health.Exec(command);
    }

    /** A declared port, by name or number, resolved to its number. */
    private Integer portRef(YamlNode node, String what) {
        if (node instanceof Scalar s && s.kind() == Kind.INT) {
            Integer n = v.integer(node, what, 1, 65535, "");
            if (n == null) return null;
            if (ports.stream().noneMatch(p -> p.port() == n)) {
                v.problems.add(node.pos(), what + " " + n + " is not one of this app's ports" + declared());
                return null;
            }
            return n;
        }
        String name = v.string(node, what);
        if (name == null) return null;
        var port = ports.stream().filter(p -> p.name().equals(name)).findFirst();
        if (port.isEmpty()) {
            v.problems.add(node.pos(), what + " '" + YamlReader.clip(name) + "' is not one of this app's ports" + declared());
            return null;
        }
        return port.get().port();
    }

    private String declared() {
        return ports.isEmpty() ? " (it declares none under ports:)"
                : " (" + String.join(", ", ports.stream().map(p -> p.name() + "=" + p.port()).toList()) + ")";
    }

    private YamlNode required(Mapping m, String key, String where) {
        YamlNode n = m.get(key);
        if (n == null) v.problems.add(m.pos(), where + " needs '" + key + "'");
        return n;
    }
}
