package dev.berth.platform.sso;

import dev.berth.platform.access.Role;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class GroupRuleStore {
    private static final String SELECT = """
            SELECT r.id, r.group_name, t.name AS team, r.role, r.created_by, r.created_at
            FROM sso_group_rules r JOIN teams t ON t.id = r.team_id""";
    private final JdbcClient jdbc;

    GroupRuleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<GroupRule> all() {
        return jdbc.sql(SELECT + " ORDER BY r.group_name, t.name").query((rs, n) -> new GroupRule(rs.getLong("id"),
                rs.getString("group_name"), rs.getString("team"), Role.valueOf(rs.getString("role")),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant())).list();
    }

    Optional<GroupRule> find(long id) {
        return all().stream().filter(r -> r.id() == id).findFirst();
    }

    /** Inserts a rule; empty when the group already has a rule for the team. */
    Optional<Long> insert(String group, long teamId, Role role, String createdBy, Instant now) {
        return jdbc.sql("""
                INSERT INTO sso_group_rules (group_name, team_id, role, created_by, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (group_name, team_id) DO NOTHING RETURNING id""")
                .params(group, teamId, role.name(), createdBy, Timestamp.from(now)).query(Long.class).optional();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM sso_group_rules WHERE id = ?").param(id).update() > 0;
    }
}
