package dev.berth.agent.cni;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CNI network configuration list: a network name, the spec version its plugins speak, and the
 * plugins' own configurations in the order ADD and CHECK run them (DEL runs them backwards).
 * Each plugin configuration names its executable in {@code type}.
 */
public record CniNetwork(String name, String cniVersion, List<Map<String, Object>> plugins) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,63}");
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,63}");

    public CniNetwork {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("CNI network name '" + name
                    + "' must be letters, digits, '_', '.' or '-' (at most 64), starting with a letter or digit");
        }
        if (cniVersion == null || cniVersion.isBlank()) throw new IllegalArgumentException("CNI network " + name + " names no cniVersion");
        if (plugins == null || plugins.isEmpty()) throw new IllegalArgumentException("CNI network " + name + " has no plugins");
        plugins = plugins.stream().map(p -> Map.copyOf(new LinkedHashMap<>(p))).toList();
        for (int i = 0; i < plugins.size(); i++) {
            Object type = plugins.get(i).get("type");
            // A type is looked up as a file in the plugin directories: no path may sneak in.
            if (!(type instanceof String t) || !TYPE.matcher(t).matches()) {
                throw new IllegalArgumentException("plugin " + i + " of CNI network " + name + " has type '" + type
                        + "': it must name a plugin executable (lowercase letters, digits, '_' or '-')");
            }
        }
    }

    /** The executable name of plugin {@code i}. */
    String type(int i) {
        return (String) plugins.get(i).get("type");
    }

    /**
     * What plugin {@code i} reads on stdin: its own configuration, with the list's name and version
     * and, when chained, the previous result (as the CNI specification has the runtime do).
     */
    Map<String, Object> stdinOf(int i, Map<String, Object> prevResult) {
        var config = new LinkedHashMap<String, Object>(plugins.get(i));
        config.put("cniVersion", cniVersion);
        config.put("name", name);
        if (prevResult != null) config.put("prevResult", prevResult);
        return config;
    }
}
