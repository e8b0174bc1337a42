package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Mapping;
import dev.berth.gitsync.definition.YamlNode.Scalar;
import dev.berth.image.ImageReference;
import dev.berth.image.InvalidImageReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and checks one app; problems go to {@link Values#problems}. */
final class AppReader {
    static final List<String> KEYS = List.of("image", "command", "env", "secrets", "replicas", "user",
            "resources", "ports", "health", "volumes", "tmpfs", "capabilities", "deploy",
            "egress", "egressTo", "connects", "routes");
    static final List<String> CAPABILITIES = List.of("NET_BIND_SERVICE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "SYS_CHROOT");
    private static final Pattern USER = Pattern.compile("([0-9]{1,5}):([0-9]{1,5})");
    private static final String LIMIT = " (the maximum on this Berth)";
    static final Duration MIN_HEALTH_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_HEALTH_TIMEOUT = Duration.ofHours(1);

    private final Values v;
    private final DefinitionLimits limits;
    private final ConnectTargets connectTargets = new ConnectTargets();
    private final RoutesReader routes;

    AppReader(Values values, DefinitionLimits limits) {
        this.v = values;
        this.limits = limits;
        this.routes = new RoutesReader(values, limits.maxRoutes());
    }

    AppDefinition read(Scalar name, Mapping app) {
        v.onlyKnownKeys(app, KEYS);
        String image = null;
        if (app.get("image") == null) {
            v.problems.add(name.pos(), "app '" + name.text() + "' needs an image");
        } else {
            image = v.string(app.get("image"), "image");
            if (image != null) {
                try {
                    ImageReference.parse(image);
                } catch (InvalidImageReference wrong) {
                    v.problems.add(app.get("image").pos(), "image " + wrong.reason());
                }
            }
        }
        List<String> command = app.get("command") == null ? List.of() : v.command(app.get("command"), "command");
        Map<String, String> env = env(app.get("env"));
        List<String> secrets = secrets(app.get("secrets"), env);
        Integer replicas = app.get("replicas") == null ? Integer.valueOf(Math.min(1, limits.maxReplicas()))
                : v.integer(app.get("replicas"), "replicas", 0, limits.maxReplicas(), LIMIT);
        UserSpec user = user(app.get("user"));
        Resources resources = resources(app.get("resources"));
        var ports = new PortsReader(v);
        List<Port> portList = ports.ports(app.get("ports"));
        Health health = app.get("health") == null ? null : ports.health(app.get("health"));
        if (app.get("health") == null) ports.publishedNeedHealth();
        connectTargets.declare(name.text(), ports.declaredNames());
        Network network = new NetworkReader(v).read(app, portList, connectTargets);
        List<Route> routeList = routes.read(name.text(), app.get("routes"), ports.declaredNames(), portList);
        var mounts = new MountsReader(v, limits);
        List<Volume> volumes = mounts.volumes(app.get("volumes"));
        List<Tmpfs> tmpfs = mounts.tmpfs(app.get("tmpfs"));
        mounts.noOverlaps();
        List<String> capabilities = capabilities(app.get("capabilities"));
        Deploy deploy = deploy(app.get("deploy"));
        if (image == null || command == null || replicas == null || resources == null || deploy == null
                || network == null) {
            return null;
        }
        return new AppDefinition(name.text(), image, command, env, secrets, replicas, user, resources,
                portList, health, volumes, tmpfs, capabilities, deploy, network, routeList);
    }

    /** Once every app of the file is read: connects to apps of this file must name ports they declare. */
    void checkConnectTargets() {
        connectTargets.check(v.problems);
    }

    private Map<String, String> env(YamlNode node) {
        var out = new LinkedHashMap<String, String>();
        Mapping m = node == null ? null : v.mapping(node, "env");
        if (m == null) return out;
        for (var e : m.entries()) {
            String key = e.key().text();
            if (!Names.isEnvName(key)) {
                v.problems.add(e.key().pos(), "env name '" + YamlReader.clip(key)
                        + "' must be letters, digits and '_', not starting with a digit");
            }
            String value = v.string(e.value(), "env " + YamlReader.clip(key));
            if (value != null && value.indexOf('\0') >= 0) {
                v.problems.add(e.value().pos(), "env " + YamlReader.clip(key) + " cannot contain a NUL character");
            } else if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private List<String> secrets(YamlNode node, Map<String, String> env) {
        var out = new ArrayList<String>();
        var list = node == null ? null : v.list(node, "secrets");
        if (list == null) return out;
        for (var item : list.items()) {
            String s = v.string(item, "a secret name");
            if (s == null) continue;
            if (!Names.isSecretName(s)) {
                v.problems.add(item.pos(), "secret name '" + YamlReader.clip(s)
                        + "' must be upper-case letters, digits and '_', not starting with a digit");
            } else if (out.contains(s)) {
                v.problems.add(item.pos(), "secret " + s + " is listed twice");
            } else if (env.containsKey(s)) {
                v.problems.add(item.pos(), s + " is both a secret and an env value; keep it in one place");
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private UserSpec user(YamlNode node) {
        if (node == null) return null;
        String expected = "\"uid:gid\" with numbers from 0 to 65535, such as \"1000:1000\"";
        String text = v.text(node, "user", expected);
        if (text == null) return null;
        var m = USER.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 65535 || Integer.parseInt(m.group(2)) > 65535) {
            return v.wrong(node, "user", expected);
        }
        return new UserSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private Resources resources(YamlNode node) {
        var d = Resources.DEFAULT;
        long memory = Math.min(d.memoryBytes(), limits.maxMemoryBytes());
        int cpu = Math.min(d.cpuMillis(), limits.maxCpuMillis());
        int pids = Math.min(d.pids(), limits.maxPids());
        if (node == null) return new Resources(memory, cpu, pids);
        Mapping m = v.mapping(node, "resources");
        if (m == null) return null;
        v.onlyKnownKeys(m, List.of("memory", "cpu", "pids"));
        Long mem = m.get("memory") == null ? Long.valueOf(memory)
                : v.size(m.get("memory"), "resources.memory", 4L << 20, limits.maxMemoryBytes(), LIMIT);
        Integer c = m.get("cpu") == null ? Integer.valueOf(cpu)
                : v.cpu(m.get("cpu"), "resources.cpu", 10, limits.maxCpuMillis(), LIMIT);
        Integer p = m.get("pids") == null ? Integer.valueOf(pids)
                : v.integer(m.get("pids"), "resources.pids", 1, limits.maxPids(), LIMIT);
        return mem == null || c == null || p == null ? null : new Resources(mem, c, p);
    }

    private List<String> capabilities(YamlNode node) {
        var out = new ArrayList<String>();
        var list = node == null ? null : v.list(node, "capabilities");
        if (list == null) return out;
        for (var item : list.items()) {
            String s = v.string(item, "a capability");
            if (s == null) continue;
            String name = s.startsWith("CAP_") ? s.substring(4) : s;
            if (!CAPABILITIES.contains(name)) {
                String upper = name.toUpperCase(java.util.Locale.ROOT).replaceFirst("^CAP_", "");
                v.problems.add(item.pos(), CAPABILITIES.contains(upper)
                        ? "capability '" + YamlReader.clip(s) + "' must be written in upper case: " + upper
                        : "capability '" + YamlReader.clip(s) + "' is not allowed; allowed are "
                                + String.join(", ", CAPABILITIES));
            } else if (out.contains(name)) {
                v.problems.add(item.pos(), "capability " + name + " is listed twice");
            } else {
                out.add(name);
            }
        }
        return out;
    }

    private Deploy deploy(YamlNode node) {
        var d = Deploy.DEFAULT;
        if (node == null) return d;
        Mapping m = v.mapping(node, "deploy");
        if (m == null) return null;
        v.onlyKnownKeys(m, List.of("strategy", "maxSurge", "maxUnavailable", "autoRollback", "healthTimeout"));
        Deploy.Strategy strategy = d.strategy();
        if (m.get("strategy") != null) {
            String s = v.string(m.get("strategy"), "deploy.strategy");
            if ("rolling".equals(s)) strategy = Deploy.Strategy.ROLLING;
            else if ("recreate".equals(s)) strategy = Deploy.Strategy.RECREATE;
            else if ("blue-green".equals(s)) strategy = Deploy.Strategy.BLUE_GREEN;
            else if (s != null) return v.wrong(m.get("strategy"), "deploy.strategy", "rolling, recreate or blue-green");
            else return null;
        }
        Boolean rollback = m.get("autoRollback") == null ? Boolean.valueOf(d.autoRollback())
                : v.bool(m.get("autoRollback"), "deploy.autoRollback");
        Duration healthTimeout = m.get("healthTimeout") == null ? d.healthTimeout()
                : v.duration(m.get("healthTimeout"), "deploy.healthTimeout", MIN_HEALTH_TIMEOUT, MAX_HEALTH_TIMEOUT);
        if (strategy != Deploy.Strategy.ROLLING) {
            for (String key : List.of("maxSurge", "maxUnavailable")) {
                if (m.get(key) != null) {
                    v.problems.add(m.get(key).pos(), "deploy." + key + " applies only to the rolling strategy");
                }
            }
            return rollback == null || healthTimeout == null ? null : new Deploy(strategy, 0, 0, rollback, healthTimeout);
        }
        int most = Math.max(1, limits.maxReplicas());
        Integer surge = m.get("maxSurge") == null ? Integer.valueOf(d.maxSurge())
                : v.integer(m.get("maxSurge"), "deploy.maxSurge", 0, most, LIMIT);
        Integer unavailable = m.get("maxUnavailable") == null ? Integer.valueOf(d.maxUnavailable())
                : v.integer(m.get("maxUnavailable"), "deploy.maxUnavailable", 0, most, LIMIT);
        if (surge == null || unavailable == null || rollback == null || healthTimeout == null) return null;
        if (surge == 0 && unavailable == 0) {
            YamlNode at = m.get("maxSurge") != null ? m.get("maxSurge") : m;
            v.problems.add(at.pos(), "deploy.maxSurge and deploy.maxUnavailable cannot both be 0:"
                    + " a rolling deploy could never replace a replica");
            return null;
        }
        return new Deploy(strategy, surge, unavailable, rollback, healthTimeout);
    }
}
