package dev.berth.registry;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Lenient helpers over Jackson's tree model; registries and image builders vary in what they omit. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** Parses {@code bytes} as a JSON object, or throws IllegalArgumentException naming {@code what}. */
    static JsonNode object(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException(what + " is not a JSON object");
        return node;
    }

    /** The string at {@code field}, or null when absent, null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    /** The strings of the array at {@code field}; empty when absent or null. */
    static List<String> strings(JsonNode node, String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (JsonNode item : v) {
                if (item.isString()) out.add(item.stringValue());
            }
        }
        return List.copyOf(out);
    }
}
