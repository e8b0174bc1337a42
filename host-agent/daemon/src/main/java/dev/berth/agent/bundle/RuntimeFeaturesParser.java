package dev.berth.agent.bundle;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSON that {@code runc features} prints; pure. */
public final class RuntimeFeaturesParser {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RuntimeFeaturesParser() {
    }

    public static HostFacts.RuntimeFeatures parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("'runc features' printed something that is not JSON: " + e.getOriginalMessage());
        }
        JsonNode linux = root.path("linux");
        JsonNode seccomp = linux.path("seccomp");
        if (root.path("ociVersionMax").isMissingNode() || linux.isMissingNode()) {
            throw new IllegalArgumentException("'runc features' output lacks ociVersionMax or linux: runc 1.1 or newer is needed");
        }
        return new HostFacts.RuntimeFeatures(
                root.path("ociVersionMax").asString(),
                strings(root.path("mountOptions")),
                strings(linux.path("namespaces")),
                strings(linux.path("capabilities")),
                seccomp.path("enabled").asBoolean(false) ? strings(seccomp.path("actions")) : Set.of(),
                strings(seccomp.path("archs")),
                strings(seccomp.path("operators")));
    }

    private static Set<String> strings(JsonNode array) {
        var out = new LinkedHashSet<String>();
        if (array.isArray()) array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
