package dev.berth.platform.notifications;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook bodies, pure: Berth's generic JSON (documented in the README), Slack's {@code {"text": ...}}
 * and a Microsoft Teams MessageCard. The generic JSON is also how a delivery keeps its event.
 */
public final class Payloads {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Payloads() {
    }

    /** The body {@code format} sends for {@code notice}. */
    public static String body(NotificationFormat format, Notice notice) {
        return switch (format) {
            case GENERIC -> generic(notice);
            case SLACK -> JSON.writeValueAsString(Map.of("text", headline(notice, "*")));
            case TEAMS -> teams(notice);
        };
    }

    /** {@code {"id", "type", "occurredAt", "team", "app", "summary", "details"}}, keys in that order. */
    public static String generic(Notice n) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", n.id().toString());
        m.put("type", n.type().value());
        m.put("occurredAt", n.at().toString());
        m.put("team", n.team());
        m.put("app", n.app());
        m.put("summary", n.summary());
        m.put("details", n.details());
        return JSON.writeValueAsString(m);
    }

    /** The notice {@link #generic} wrote. */
    public static Notice parse(String generic) {
        JsonNode j = JSON.readTree(generic);
        var details = new TreeMap<String, String>();
        j.get("details").properties().forEach(e -> details.put(e.getKey(), e.getValue().asString()));
        JsonNode app = j.get("app");
        return new Notice(UUID.fromString(j.get("id").asString()), NotificationEvent.parse(j.get("type").asString(), "type"),
                j.get("team").asString(), app == null || app.isNull() ? null : app.asString(),
                Instant.parse(j.get("occurredAt").asString()), j.get("summary").asString(), details);
    }

    private static String teams(Notice n) {
        var card = new LinkedHashMap<String, Object>();
        card.put("@type", "MessageCard");
        card.put("@context", "https://schema.org/extensions");
        card.put("summary", n.summary());
        card.put("themeColor", colour(n.type()));
        card.put("title", n.type().value() + ": " + subject(n));
        card.put("text", n.summary());
        var facts = n.details().entrySet().stream().map(e -> {
            var fact = new LinkedHashMap<String, String>();
            fact.put("name", e.getKey());
            fact.put("value", e.getValue());
            return fact;
        }).toList();
        if (!facts.isEmpty()) card.put("sections", List.of(Map.of("facts", facts)));
        return JSON.writeValueAsString(card);
    }

    /** "*deployment.failed* shop/web: the summary" with the chat's bold marker. */
    private static String headline(Notice n, String bold) {
        return bold + n.type().value() + bold + " " + subject(n) + ": " + n.summary();
    }

    private static String subject(Notice n) {
        return n.app() == null ? n.team() : n.team() + "/" + n.app();
    }

    private static String colour(NotificationEvent type) {
        return switch (type) {
            case DEPLOYMENT_SUCCEEDED -> "2EB67D";
            case DEPLOYMENT_STARTED -> "1D9BD1";
            default -> "E01E5A";
        };
    }
}
