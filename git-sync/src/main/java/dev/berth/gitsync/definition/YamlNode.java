package dev.berth.gitsync.definition;

import java.util.List;

/**
 * The small YAML tree the validator walks: only what berth.yaml may contain, each node with the
 * position where it starts. Built by {@link YamlReader}, never by SnakeYAML's composer, so that
 * aliases, tags and duplicate keys are refused before anything is interpreted.
 */
sealed interface YamlNode {
    Pos pos();

    /** 1-based line and column. */
    record Pos(int line, int column) {
    }

    /** How YAML would read a plain scalar; quoted and block scalars are always {@code STRING}. */
    enum Kind {
        STRING, INT, FLOAT, BOOL, NULL
    }

    record Scalar(String text, Kind kind, Pos pos) implements YamlNode {
    }

    record Sequence(List<YamlNode> items, Pos pos) implements YamlNode {
    }

    record Mapping(List<Entry> entries, Pos pos) implements YamlNode {
        /** The value of the first entry with this key, or null. */
        YamlNode get(String key) {
            for (var e : entries) {
                if (e.key().text().equals(key)) return e.value();
            }
            return null;
        }
    }

    record Entry(Scalar key, YamlNode value) {
    }

    /** Something already reported (an alias, a tagged node); the validator skips it silently. */
    record Refused(Pos pos) implements YamlNode {
    }
}
