package dev.berth.registry;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The parts of an OCI / Docker image configuration blob the agent needs to run the image.
 * Lists and sets are never null; absent strings are null.
 *
 * @param exposedPorts e.g. {@code 80/tcp}
 * @param healthcheck  the image's health check, or null when it has none or disables it ({@code NONE})
 * @param diffIds      sha256 of each uncompressed layer, base first ({@code rootfs.diff_ids})
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
        Set<String> exposedPorts, Healthcheck healthcheck, List<String> diffIds, String os, String architecture) {

    public ImageConfig {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        exposedPorts = exposedPorts == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(exposedPorts));
        diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }

    /**
     * A Docker-style health check from the image.
     *
     * @param test     e.g. {@code [CMD-SHELL, curl -f http://localhost/]}
     * @param interval zero when the image leaves it to the runtime's default
     * @param timeout  zero when the image leaves it to the runtime's default
     * @param retries  zero when the image leaves it to the runtime's default
     */
    public record Healthcheck(List<String> test, Duration interval, Duration timeout, int retries) {

        public Healthcheck {
            test = List.copyOf(test);
            if (interval == null) interval = Duration.ZERO;
            if (timeout == null) timeout = Duration.ZERO;
        }
    }

    /**
     * Parses a config blob.
     *
     * @throws IllegalArgumentException when it is not a JSON object or a diff id is malformed
     */
    public static ImageConfig parse(byte[] json) {
        JsonNode root = Json.object(json, "image config");
        JsonNode config = root.path("config");
        if (!config.isObject()) config = Json.MAPPER.createObjectNode();
        Set<String> ports = new LinkedHashSet<>();
        JsonNode exposed = config.get("ExposedPorts");
        if (exposed != null && exposed.isObject()) {
            for (Map.Entry<String, JsonNode> port : exposed.properties()) ports.add(port.getKey());
        }
        List<String> diffIds = Json.strings(root.path("rootfs"), "diff_ids");
        for (String id : diffIds) {
            try {
                Digests.check(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image config rootfs.diff_ids: " + e.getMessage());
            }
        }
        return new ImageConfig(Json.strings(config, "Entrypoint"), Json.strings(config, "Cmd"),
                Json.strings(config, "Env"), emptyToNull(Json.text(config, "WorkingDir")),
                emptyToNull(Json.text(config, "User")), ports, healthcheck(config.get("Healthcheck")), diffIds,
                Json.text(root, "os"), Json.text(root, "architecture"));
    }

    private static Healthcheck healthcheck(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        List<String> test = Json.strings(node, "Test");
        // An empty test inherits (nothing, at this point); NONE switches health checking off.
        if (test.isEmpty() || test.getFirst().equals("NONE")) return null;
        return new Healthcheck(test, Duration.ofNanos(node.path("Interval").asLong(0)),
                Duration.ofNanos(node.path("Timeout").asLong(0)), node.path("Retries").asInt(0));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
