package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Kind;
import dev.berth.gitsync.definition.YamlNode.Mapping;
import dev.berth.gitsync.definition.YamlNode.Refused;
import dev.berth.gitsync.definition.YamlNode.Scalar;
import dev.berth.gitsync.definition.YamlNode.Sequence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed reading of YAML values. Each getter either returns the value or reports, at the value's
 * position, why it cannot, and returns null. Refused nodes were reported already and yield null.
 */
final class Values {
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,10}");

    final Problems problems;

    Values(Problems problems) {
        this.problems = problems;
    }

    /** Reports every key not in {@code known}, naming the closest known one. */
    void onlyKnownKeys(Mapping m, List<String> known) {
        for (var e : m.entries()) {
            String key = e.key().text();
            if (known.contains(key)) continue;
            String closest = ClosestKey.of(key, known);
            problems.add(e.key().pos(), "unknown key '" + YamlReader.clip(key) + "'; "
                    + (closest != null ? "did you mean '" + closest + "'?" : "expected one of: " + String.join(", ", known)));
        }
    }

    Mapping mapping(YamlNode n, String what) {
        return switch (n) {
            case Mapping m -> m;
            case Refused r -> null;
            default -> wrong(n, what, "a mapping (key: value)");
        };
    }

    /** One entry of a list of mappings: a mapping with only known keys, each required one reported when missing. */
    Mapping entry(YamlNode n, String where, List<String> known, List<String> required) {
        Mapping m = mapping(n, where);
        if (m == null) return null;
        onlyKnownKeys(m, known);
        for (String key : required) {
            if (m.get(key) == null) problems.add(m.pos(), where + " needs '" + key + "'");
        }
        return m;
    }

    Sequence list(YamlNode n, String what) {
        return switch (n) {
            case Sequence s -> s;
            case Refused r -> null;
            default -> wrong(n, what, "a list");
        };
    }

    /** A YAML string; a plain value YAML reads as a number, boolean or null is refused. */
    String string(YamlNode n, String what) {
        if (!(n instanceof Scalar s)) return n instanceof Refused ? null : wrong(n, what, "a string");
        return switch (s.kind()) {
            case STRING -> s.text();
            case NULL -> wrong(n, what, "a string");
            case INT, FLOAT, BOOL -> {
                problems.add(s.pos(), what + " must be a string, and YAML reads " + YamlReader.clip(s.text())
                        + " as a " + (s.kind() == Kind.BOOL ? "boolean" : "number") + "; quote it: \""
                        + YamlReader.clip(s.text()) + "\"");
                yield null;
            }
        };
    }

    /** The text of any non-null scalar, for values with a syntax of their own (sizes, user). */
    String text(YamlNode n, String what, String expected) {
        if (n instanceof Scalar s && s.kind() != Kind.NULL) return s.text();
        return n instanceof Refused ? null : wrong(n, what, expected);
    }

    /** A non-empty list of strings without NUL, which no process argument can hold. */
    List<String> command(YamlNode node, String what) {
        var list = list(node, what);
        if (list == null) return null;
        if (list.items().isEmpty()) {
            problems.add(list.pos(), what + " must not be empty"
                    + (what.equals("command") ? "; leave it out to use the image's command" : ""));
            return null;
        }
        var out = new ArrayList<String>();
        for (var item : list.items()) {
            String s = string(item, what + " item");
            if (s != null && s.indexOf('\0') >= 0) {
                problems.add(item.pos(), what + " items cannot contain a NUL character");
            } else if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    Integer integer(YamlNode n, String what, long min, long max, String maxReason) {
        if (!(n instanceof Scalar s) || s.kind() != Kind.INT || !WHOLE.matcher(s.text()).matches()) {
            return n instanceof Refused ? null : wrong(n, what, "a whole number");
        }
        long v = Long.parseLong(s.text());
        return inRange(s, what, v, min, max, Long.toString(min), Long.toString(max), maxReason) ? (int) v : null;
    }

    Boolean bool(YamlNode n, String what) {
        if (n instanceof Scalar s && s.kind() == Kind.BOOL && (s.text().equals("true") || s.text().equals("false"))) {
            return s.text().equals("true");
        }
        return n instanceof Refused ? null : wrong(n, what, "true or false");
    }

    Long size(YamlNode n, String what, long min, long max, String maxReason) {
        String expected = "a size such as 64Mi (units Ki, Mi, Gi, or a plain number of bytes)";
        String text = text(n, what, expected);
        if (text == null) return null;
        Long v = ((Scalar) n).kind() == Kind.FLOAT ? null : Units.size(text);
        if (v == null) {
            if (Units.looksLikeDecimalSize(text)) {
                problems.add(n.pos(), what + " must use the units Ki, Mi or Gi (powers of 1024), for example 128Mi, not "
                        + YamlReader.clip(text));
                return null;
            }
            return wrong(n, what, expected);
        }
        return inRange(n, what, v, min, max, Units.formatSize(min), Units.formatSize(max), maxReason) ? v : null;
    }

    Integer cpu(YamlNode n, String what, int min, int max, String maxReason) {
        String expected = "a number of cores such as 0.5 or 2, or millicores such as 500m";
        String text = text(n, what, expected);
        if (text == null) return null;
        Integer v = Units.cpu(text);
        if (v == null) return wrong(n, what, expected);
        return inRange(n, what, v, min, max, Units.formatCpu(min), Units.formatCpu(max), maxReason) ? v : null;
    }

    Duration duration(YamlNode n, String what, Duration min, Duration max) {
        String expected = "a duration such as 500ms, 2s, 1m or 1h";
        if (!(n instanceof Scalar s) || s.kind() != Kind.STRING) {
            return n instanceof Refused ? null : wrong(n, what, expected);
        }
        Duration v = Units.duration(s.text());
        if (v == null) return wrong(n, what, expected);
        return inRange(n, what, v.toMillis(), min.toMillis(), max.toMillis(),
                Units.formatDuration(min), Units.formatDuration(max), "") ? v : null;
    }

    private boolean inRange(YamlNode n, String what, long v, long min, long max,
                            String minText, String maxText, String maxReason) {
        if (v < min) {
            problems.add(n.pos(), what + " must be at least " + minText);
            return false;
        }
        if (v > max) {
            problems.add(n.pos(), what + " must be at most " + maxText + maxReason);
            return false;
        }
        return true;
    }

    /** Reports that {@code n} is not what was expected, and returns null for the caller. */
    <T> T wrong(YamlNode n, String what, String expected) {
        String found = switch (n) {
            case Mapping m -> "a mapping";
            case Sequence s -> "a list";
            case Scalar s when s.kind() == Kind.NULL -> "nothing";
            case Scalar s -> "'" + YamlReader.clip(s.text()) + "'";
            case Refused r -> "";
        };
        problems.add(n.pos(), found.equals("nothing")
                ? what + " needs a value: " + expected
                : what + " must be " + expected + ", not " + found);
        return null;
    }
}
