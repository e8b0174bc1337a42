package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code berth.yaml} v1 strictly: unknown keys, wrong types, out-of-range values, unsafe
 * paths and YAML features the format does not use (anchors, aliases, tags, several documents)
 * are all problems, every one of them reported with its position. Pure and thread-safe.
 */
public final class DefinitionParser {
    private static final List<String> TOP_KEYS = List.of("apiVersion", "apps");

    private DefinitionParser() {
    }

    /**
     * Parses and validates one definition.
     *
     * @param fileName the name to put in problems, usually {@code berth.yaml}
     * @param content  the file's bytes, which must be UTF-8
     * @param limits   the maxima this Berth allows
     * @return {@link ParseResult.Valid} only when there is no problem at all; never throws for any
     *         content
     */
    public static ParseResult parse(String fileName, byte[] content, DefinitionLimits limits) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(limits, "limits");
        var problems = new Problems(fileName);
        try {
            YamlNode root = YamlReader.read(content, limits.maxFileBytes(), problems);
            if (root == null && problems.isEmpty()) {
                problems.add(1, 1, "the file is empty; it needs at least apiVersion: " + Definition.API_VERSION + " and apps:");
            }
            Definition definition = root == null ? null : definition(root, new Values(problems), limits);
            if (problems.isEmpty() && definition != null) return new ParseResult.Valid(definition);
        } catch (RuntimeException e) {
            // A bug here must neither take the caller down nor let an unchecked file through.
            problems.add(1, 1, "the file could not be checked because of an internal error ("
                    + e.getClass().getSimpleName() + "); please report this");
        }
        return new ParseResult.Invalid(problems.sorted());
    }

    private static Definition definition(YamlNode root, Values v, DefinitionLimits limits) {
        Mapping top = v.mapping(root, "the top level of the file");
        if (top == null) return null;
        v.onlyKnownKeys(top, TOP_KEYS);
        YamlNode version = top.get("apiVersion");
        if (version == null) {
            v.problems.add(top.pos(), "apiVersion is missing; the first line should be apiVersion: " + Definition.API_VERSION);
        } else {
            String text = v.string(version, "apiVersion");
            if (text != null && !text.equals(Definition.API_VERSION)) {
                v.problems.add(version.pos(), "apiVersion must be " + Definition.API_VERSION + ", not '"
                        + YamlReader.clip(text) + "'");
            }
        }
        if (top.get("apps") == null) {
            v.problems.add(top.pos(), "apps is missing; declare the apps under apps:");
            return null;
        }
        Mapping apps = v.mapping(top.get("apps"), "apps");
        if (apps == null) return null;
        if (apps.entries().size() > limits.maxApps()) {
            v.problems.add(apps.entries().get(limits.maxApps()).key().pos(),
                    "a file may declare at most " + limits.maxApps() + " apps (the maximum on this Berth)");
        }
        var out = new ArrayList<AppDefinition>();
        var reader = new AppReader(v, limits);
        for (var e : apps.entries()) {
            String name = e.key().text();
            if (!Names.isDnsLabel(name)) {
                v.problems.add(e.key().pos(), "app name '" + YamlReader.clip(name) + "' must be " + Names.dnsLabelRule());
            }
            Mapping app = v.mapping(e.value(), "app " + YamlReader.clip(name));
            AppDefinition read = app == null ? null : reader.read(e.key(), app);
            if (read != null) out.add(read);
        }
        reader.checkConnectTargets();
        return new Definition(Definition.API_VERSION, out);
    }
}
