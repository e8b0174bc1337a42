package dev.berth.agent.edge;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** One line of Caddy's own JSON log, as a short sentence for a status. */
final class CaddyLines {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX = 300;

    private CaddyLines() {
    }

    /** {@code msg: error} of a JSON log line, else the line itself; capped. */
    static String summary(String line) {
        String text = line;
        try {
            var node = JSON.readTree(line);
            if (node.isObject() && node.hasNonNull("msg")) {
                text = node.get("msg").asString() + (node.hasNonNull("error") ? ": " + node.get("error").asString() : "");
            }
        } catch (JacksonException e) {
            // not JSON: the line as it is
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > MAX ? text.substring(0, MAX) + "…" : text;
    }
}
