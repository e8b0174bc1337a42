package dev.berth.agent.inspect;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The fields of /proc/PID/status; pure. */
public record ProcStatus(Map<String, String> fields) {
    public static ProcStatus parse(String text) {
        var fields = new HashMap<String, String>();
        text.lines().forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        });
        return new ProcStatus(Map.copyOf(fields));
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }
}
