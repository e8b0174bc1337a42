package dev.berth.platform.audit;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Filters over the audit log. {@code visibleTeams} empty means every event (platform admins);
 * otherwise only events of those teams are visible.
 */
public record AuditQuery(
        Instant from,
        Instant to,
        String actor,
        String team,
        String action,
        String text,
        Optional<Set<String>> visibleTeams) {

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, Optional.empty());
    }

    public AuditQuery restrictedTo(Set<String> teams) {
        return new AuditQuery(from, to, actor, team, action, text, Optional.of(Set.copyOf(teams)));
    }

    record Sql(String clause, List<Object> params) {
        int bind(PreparedStatement st) throws SQLException {
            int i = 1;
            for (Object p : params) {
                switch (p) {
                    case Instant t -> st.setTimestamp(i, Timestamp.from(t));
                    case String[] arr -> st.setArray(i, st.getConnection().createArrayOf("text", arr));
                    default -> st.setObject(i, p);
                }
                i++;
            }
            return i;
        }
    }

    Sql toSql() {
        var conditions = new ArrayList<String>();
        var params = new ArrayList<Object>();
        if (from != null) { conditions.add("occurred_at >= ?"); params.add(from); }
        if (to != null) { conditions.add("occurred_at < ?"); params.add(to); }
        if (present(actor)) { conditions.add("actor = ?"); params.add(actor.trim()); }
        if (present(team)) { conditions.add("team = ?"); params.add(team.trim()); }
        if (present(action)) { conditions.add("action = ?"); params.add(action.trim()); }
        if (present(text)) {
            conditions.add("(actor || ' ' || action || ' ' || target || ' ' || coalesce(team, '') || ' ' || details) ILIKE ?");
            params.add("%" + escapeLike(text.trim()) + "%");
        }
        visibleTeams.ifPresent(teams -> {
            conditions.add("team = ANY (?)");
            params.add(teams.toArray(String[]::new));
        });
        String clause = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return new Sql(clause, params);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
