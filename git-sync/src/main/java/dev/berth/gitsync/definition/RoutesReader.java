package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Kind;
import dev.berth.gitsync.definition.YamlNode.Mapping;
import dev.berth.gitsync.definition.YamlNode.Scalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The {@code routes} of every app of one file. The same host and path may be served by one app
 * only, so the reader lives as long as the file's reading and remembers each route it took.
 * Whether the team owns the host, and whether an app of another file serves it, only the
 * platform knows.
 */
final class RoutesReader {
    private static final List<String> KEYS = List.of("host", "port", "path");

    private final Values v;
    private final int max;
    /** host + " " + normal path → where it was first declared. */
    private final Map<String, String> seen = new HashMap<>();

    RoutesReader(Values values, int maxRoutes) {
        this.v = values;
        this.max = maxRoutes;
    }

    /**
     * @param portNames the app's port names; null when some could not be read (already reported)
     * @param ports     the ports that were read whole, to tell whether a route's port is published
     */
    List<Route> read(String app, YamlNode node, SequencedSet<String> portNames, List<Port> ports) {
        var out = new ArrayList<Route>();
        var list = node == null ? null : v.list(node, "routes");
        if (list == null) return out;
        if (list.items().size() > max) {
            v.problems.add(list.pos(), "routes has " + list.items().size() + " entries; at most " + max
                    + " per app (the maximum on this Berth)");
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String where = "routes[" + i + "]";
            YamlNode item = list.items().get(i);
            Mapping m = v.entry(item, where, KEYS, List.of("host", "port"));
            if (m == null) continue;
            String host = m.get("host") == null ? null : checked(m.get("host"), where + ".host", true);
            String port = m.get("port") == null ? null : port(m.get("port"), where + ".port", portNames, ports);
            String path = m.get("path") == null ? "/" : checked(m.get("path"), where + ".path", false);
            if (host == null || port == null || path == null) continue;
            path = RouteText.normalPath(path);
            var at = item.pos();
            String earlier = seen.putIfAbsent(host + " " + path,
                    "app " + app + " at line " + at.line() + ", column " + at.column());
            if (earlier != null) {
                v.problems.add(at, where + " routes " + host + path + " again; " + earlier + " already does,"
                        + " and one host and path go to one app and port");
                continue;
            }
            out.add(new Route(host, port, path, at.line(), at.column()));
        }
        return out;
    }

    private String checked(YamlNode node, String what, boolean isHost) {
        String text = v.string(node, what);
        if (text == null) return null;
        String problem = isHost ? RouteText.hostProblem(text) : RouteText.pathProblem(text);
        if (problem == null) return text;
        v.problems.add(node.pos(), what + " '" + YamlReader.clip(text) + "' " + problem);
        return null;
    }

    private String port(YamlNode node, String what, SequencedSet<String> portNames, List<Port> ports) {
        if (node instanceof Scalar s && s.kind() == Kind.INT) {
            v.problems.add(node.pos(), what + " " + YamlReader.clip(s.text())
                    + " is a number; name one of this app's ports as declared under ports:");
            return null;
        }
        String name = v.string(node, what);
        if (name == null || portNames == null) return name;
        if (portNames.contains(name)) return published(node, what, name, ports);
        v.problems.add(node.pos(), what + " '" + YamlReader.clip(name) + "' is not one of this app's ports"
                + (portNames.isEmpty() ? " (it declares none under ports:)" : " (" + String.join(", ", portNames) + ")"));
        return null;
    }

    /**
     * The edge reaches replicas only through their published ports, and a published port needs a
     * health check, so routed traffic only ever reaches replicas that passed theirs. A port whose
     * publish value could not be read is missing from {@code ports} and was reported already.
     */
    private String published(YamlNode node, String what, String name, List<Port> ports) {
        boolean unpublished = ports.stream().anyMatch(p -> p.name().equals(name) && !p.publish());
        if (!unpublished) return name;
        v.problems.add(node.pos(), what + " " + name + " is not published; the edge reaches apps through"
                + " published ports: add publish: true to port " + name);
        return null;
    }
}
