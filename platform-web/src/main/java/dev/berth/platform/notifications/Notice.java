package dev.berth.platform.notifications;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One event a team's endpoints may be told of, before it is formatted for any of them.
 *
 * @param id      the same for every endpoint told, and for every attempt and resend
 * @param app     the app it concerns, or null
 * @param summary one sentence for people, as chat formats show it
 * @param details further facts (deployment id, revision, reason...), all strings
 */
public record Notice(UUID id, NotificationEvent type, String team, String app, Instant at, String summary,
                     SortedMap<String, String> details) {
    public Notice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(summary, "summary");
        at = at.truncatedTo(ChronoUnit.MICROS);
        details = details == null ? new TreeMap<>() : new TreeMap<>(details);
    }

    /** A fresh notice with a random id; null detail values are left out. */
    public static Notice of(NotificationEvent type, String team, String app, Instant at, String summary,
                            Map<String, ?> details) {
        var d = new TreeMap<String, String>();
        details.forEach((k, v) -> {
            if (v != null) d.put(k, String.valueOf(v));
        });
        return new Notice(UUID.randomUUID(), type, team, app, at, summary, d);
    }
}
