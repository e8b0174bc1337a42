package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.EgressEntry.Parsed;
import dev.berth.gitsync.definition.EgressEntry.Wrong;
import dev.berth.gitsync.definition.Network.Connect;
import dev.berth.gitsync.definition.Network.EgressDestination;
import dev.berth.gitsync.definition.YamlNode.Kind;
import dev.berth.gitsync.definition.YamlNode.Mapping;
import dev.berth.gitsync.definition.YamlNode.Scalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** An app's {@code egress}, {@code egressTo} and {@code connects}. */
final class NetworkReader {
    static final int MAX_EGRESS_TO = 32;
    static final int MAX_CONNECTS = 32;
    private static final List<String> CONNECT_KEYS = List.of("app", "port", "local");

    private final Values v;

    NetworkReader(Values values) {
        this.v = values;
    }

    /**
     * The app's network; null when {@code egress} cannot be read.
     *
     * @param ownPorts the app's own ports, which its connects must not bind over
     * @param targets  gets the connects read, even when the rest of the app is wrong, to check
     *                 those to apps of the same file once every app is read
     */
    Network read(Mapping app, List<Port> ownPorts, ConnectTargets targets) {
        Network.Egress egress = egress(app.get("egress"));
        List<EgressDestination> egressTo = egressTo(app.get("egressTo"));
        List<Connect> connects = connects(app.get("connects"), ownPorts);
        targets.connect(connects);
        return egress == null ? null : new Network(egress, egressTo, connects);
    }

    private Network.Egress egress(YamlNode node) {
        if (node == null) return Network.Egress.NONE;
        String expected = "none or public";
        String text = v.text(node, "egress", expected);
        if (text == null) return null;
        if (((Scalar) node).kind() == Kind.STRING && text.equals("none")) return Network.Egress.NONE;
        if (((Scalar) node).kind() == Kind.STRING && text.equals("public")) return Network.Egress.PUBLIC;
        return v.wrong(node, "egress", expected);
    }

    private List<EgressDestination> egressTo(YamlNode node) {
        var out = new ArrayList<EgressDestination>();
        var list = node == null ? null : v.list(node, "egressTo");
        if (list == null || tooMany(list, "egressTo", MAX_EGRESS_TO)) return out;
        var seen = new HashSet<Parsed>();
        for (var item : list.items()) {
            String text = v.string(item, "an egressTo entry");
            if (text == null) continue;
            String entry = "egressTo entry '" + YamlReader.clip(text) + "' ";
            switch (EgressEntry.parse(text)) {
                case Wrong wrong -> v.problems.add(item.pos(), entry + wrong.reason());
                case Parsed p when !seen.add(p) -> v.problems.add(item.pos(), entry + "is listed twice");
                case Parsed p -> out.add(new EgressDestination(p.cidr(), p.port(), item.pos().line(), item.pos().column()));
            }
        }
        return out;
    }

    private List<Connect> connects(YamlNode node, List<Port> ownPorts) {
        var out = new ArrayList<Connect>();
        var list = node == null ? null : v.list(node, "connects");
        if (list == null || tooMany(list, "connects", MAX_CONNECTS)) return out;
        Map<Integer, String> locals = new HashMap<>();
        Map<String, String> targets = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            String where = "connects[" + i + "]";
            YamlNode item = list.items().get(i);
            Mapping m = v.entry(item, where, CONNECT_KEYS, CONNECT_KEYS);
            if (m == null) continue;
            String app = m.get("app") == null ? null : app(m.get("app"), where + ".app");
            String port = m.get("port") == null ? null : portName(m.get("port"), where + ".port");
            Integer local = m.get("local") == null ? null : local(m.get("local"), where, ownPorts, locals);
            if (app == null || port == null || local == null) continue;
            String earlier = targets.putIfAbsent(app + ":" + port, where);
            if (earlier != null) {
                v.problems.add(item.pos(), where + " connects to app " + app + ", port " + port + " again (as "
                        + earlier + " does); one local port per app and port is enough");
                continue;
            }
            out.add(new Connect(app, port, local, item.pos().line(), item.pos().column()));
        }
        return out;
    }

    private String app(YamlNode node, String what) {
        String app = v.string(node, what);
        if (app != null && !Names.isDnsLabel(app)) {
            v.problems.add(node.pos(), what + " '" + YamlReader.clip(app) + "' must be an app name: " + Names.dnsLabelRule());
            return null;
        }
        return app;
    }

    /** The producer's port by the name its berth.yaml gives it; the number may differ between its revisions. */
    private String portName(YamlNode node, String what) {
        if (node instanceof Scalar s && s.kind() == Kind.INT) {
            v.problems.add(node.pos(), what + " " + YamlReader.clip(s.text())
                    + " is a number; name the port as the producer's berth.yaml does, e.g. pg");
            return null;
        }
        String name = v.string(node, what);
        if (name != null && !Names.isDnsLabel(name)) {
            v.problems.add(node.pos(), what + " '" + YamlReader.clip(name) + "' must be a port name: " + Names.dnsLabelRule());
            return null;
        }
        return name;
    }

    /** A port on the container's own 127.0.0.1, which nothing else in the container may listen on. */
    private Integer local(YamlNode node, String where, List<Port> ownPorts, Map<Integer, String> locals) {
        String what = where + ".local";
        Integer local = v.integer(node, what, 1, 65535, "");
        if (local == null) return null;
        String bind = "; both would listen on 127.0.0.1:" + local + " in the same container, so pick another local port";
        var own = ownPorts.stream().filter(p -> p.port() == local).findFirst();
        if (own.isPresent()) {
            v.problems.add(node.pos(), what + " " + local + " is also this app's port " + own.get().name() + bind);
            return null;
        }
        String earlier = locals.putIfAbsent(local, where);
        if (earlier != null) {
            v.problems.add(node.pos(), what + " " + local + " is also the local port of " + earlier + bind);
            return null;
        }
        return local;
    }

    private boolean tooMany(YamlNode.Sequence list, String key, int max) {
        if (list.items().size() <= max) return false;
        v.problems.add(list.pos(), key + " has " + list.items().size() + " entries; at most " + max + " per app");
        return true;
    }
}
