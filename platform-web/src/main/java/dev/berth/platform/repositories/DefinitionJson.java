package dev.berth.platform.repositories;

import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.Health;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The parsed definition as {@code revisions.definition} stores it, written at push time and read
 * back when a revision is deployed. git-sync's records carry no JSON type names, so the one
 * polymorphic field, a health check, is told apart by its fields: {@code command} is an exec
 * check, {@code path} an http check, a lone {@code port} a tcp check.
 */
public final class DefinitionJson {
    private static final JsonMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule("berth-definition").addDeserializer(Health.Check.class, new CheckReader()))
            .build();

    private DefinitionJson() {
    }

    /** The JSON stored for a definition. */
    public static String write(Definition definition) {
        return JSON.writeValueAsString(definition);
    }

    /**
     * Reads a stored definition back.
     *
     * @throws IllegalStateException when the text is not a stored definition
     */
    public static Definition read(String json) {
        try {
            return JSON.readValue(json, Definition.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("a stored definition could not be read: " + e.getMessage(), e);
        }
    }

    private static final class CheckReader extends ValueDeserializer<Health.Check> {
        @Override
        public Health.Check deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode node = ctxt.readTree(p);
            if (node.has("command")) return ctxt.readTreeAsValue(node, Health.Exec.class);
            if (node.has("path")) return ctxt.readTreeAsValue(node, Health.Http.class);
            if (node.has("port")) return ctxt.readTreeAsValue(node, Health.Tcp.class);
            throw new IllegalStateException("a stored health check has none of command, path or port: " + node);
        }
    }
}
