package dev.berth.agent;

import dev.berth.registry.Credentials;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's configuration file: registries it may reach over plain HTTP and the credentials it
 * pulls with. Strict: an unknown key is an error, and a file holding passwords must not be
 * readable by anyone but its owner.
 *
 * <pre>{"insecureRegistries": ["127.0.0.1:5000"],
 *  "credentials": {"registry.example.com": {"username": "ci", "password": "..."}},
 *  "parallelDownloads": 3}</pre>
 */
public record AgentConfig(Set<String> insecureRegistries, Map<String, Credentials> credentials, Integer parallelDownloads) {
    public static final Path DEFAULT_PATH = Path.of("/etc/berth-agent/config.json");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private static final List<String> KEYS = List.of("insecureRegistries", "credentials", "parallelDownloads");

    /** Reads {@code file}; a missing default file is an empty configuration, a missing named one an error. */
    public static AgentConfig load(Path file, boolean required) throws IOException {
        if (!Files.exists(file)) {
            if (required) throw new IOException("configuration file " + file + " does not exist");
            return new AgentConfig(Set.of(), Map.of(), null);
        }
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) throw new IOException(file + " must hold a JSON object");
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) throw new IOException(file + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
        }
        try {
            return parse(file, root);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static AgentConfig parse(Path file, JsonNode root) throws IOException {
        var insecure = new LinkedHashSet<String>();
        for (JsonNode n : root.path("insecureRegistries")) insecure.add(registryHost(n.asString(""), file + ": insecureRegistries"));
        var credentials = new LinkedHashMap<String, Credentials>();
        for (var entry : root.path("credentials").properties()) {
            String host = registryHost(entry.getKey(), file + ": credentials");
            JsonNode c = entry.getValue();
            if (!c.path("username").isString() || !c.path("password").isString()) {
                throw new IOException(file + ": credentials for " + host + " need a username and a password");
            }
            credentials.put(host, new Credentials(c.path("username").asString(), c.path("password").asString()));
        }
        if (!credentials.isEmpty()) {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + " holds registry credentials but others can read it; run 'chmod 600 " + file + "'");
            }
        }
        Integer parallel = null;
        if (root.has("parallelDownloads")) {
            parallel = root.path("parallelDownloads").asInt(0);
            if (parallel < 1 || parallel > 32) throw new IOException(file + ": parallelDownloads must be 1 to 32");
        }
        return new AgentConfig(Set.copyOf(insecure), Map.copyOf(credentials), parallel);
    }

    /** A registry host as the agent names it: {@code host} or {@code host:port}. */
    public static String registryHost(String text, String where) {
        if (!HOST.matcher(text).matches()) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a registry HOST or HOST:PORT");
        }
        return text;
    }

    /** The registry client's configuration: this file's settings plus {@code --insecure-registry} flags. */
    public RegistryConfig registries(List<String> extraInsecure) {
        var defaults = RegistryConfig.defaults();
        var insecure = new LinkedHashSet<>(insecureRegistries);
        insecure.addAll(extraInsecure);
        return new RegistryConfig(Set.copyOf(insecure), credentials, parallelDownloads == null ? defaults.parallelDownloads() : parallelDownloads,
                defaults.maxManifestBytes(), defaults.maxBlobBytes(), defaults.retry());
    }
}
