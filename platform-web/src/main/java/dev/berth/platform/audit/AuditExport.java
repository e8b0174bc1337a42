package dev.berth.platform.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Renders audit rows as CSV or JSON Lines; pure. */
public final class AuditExport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> COLUMNS = List.of("seq", "time", "actorType", "actor", "action", "target", "team",
            "sourceAddress", "userAgent", "outcome", "details", "prevHash", "hash");

    private AuditExport() {
    }

    public enum Format {
        CSV("text/csv"), JSON_LINES("application/jsonl");

        public final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String extension() {
            return this == CSV ? "csv" : "jsonl";
        }
    }

    public static String header(Format format) {
        return format == Format.CSV ? String.join(",", COLUMNS) + "\n" : "";
    }

    public static String line(Format format, ChainedEvent row) {
        var fields = fields(row);
        if (format == Format.JSON_LINES) {
            var json = new LinkedHashMap<String, Object>(fields);
            json.put("details", row.event().details());
            return JSON.writeValueAsString(json) + "\n";
        }
        var sb = new StringBuilder();
        for (String column : COLUMNS) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(csvCell(fields.get(column)));
        }
        return sb.append('\n').toString();
    }

    private static Map<String, Object> fields(ChainedEvent row) {
        var e = row.event();
        var m = new LinkedHashMap<String, Object>();
        m.put("seq", row.seq());
        m.put("time", e.time().toString());
        m.put("actorType", e.actor().type().name());
        m.put("actor", e.actor().name());
        m.put("action", e.action());
        m.put("target", e.target());
        m.put("team", e.team());
        m.put("sourceAddress", e.sourceAddress());
        m.put("userAgent", e.userAgent());
        m.put("outcome", e.outcome().name());
        m.put("details", AuditStore.detailsJson(e.details()));
        m.put("prevHash", row.prevHash().hex());
        m.put("hash", row.hash().hex());
        return m;
    }

    /** Quotes as RFC 4180 says, and defuses cells a spreadsheet would run as a formula. */
    static String csvCell(Object value) {
        if (value == null) return "";
        String s = value.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) s = "'" + s;
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
