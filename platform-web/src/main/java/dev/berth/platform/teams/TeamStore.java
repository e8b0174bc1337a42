package dev.berth.platform.teams;

import dev.berth.platform.access.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TeamStore {
    private final JdbcClient jdbc;

    public TeamStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A team row with its member count. */
    public record Row(long id, String name, Instant createdAt, int members) {
    }

    private static final String SELECT_ROW = """
            SELECT t.id, t.name, t.created_at, (SELECT count(*) FROM memberships m WHERE m.team_id = t.id) AS members
            FROM teams t""";

    public List<Row> all() {
        return jdbc.sql(SELECT_ROW + " ORDER BY t.name").query(TeamStore::row).list();
    }

    public Optional<Row> find(String name) {
        return jdbc.sql(SELECT_ROW + " WHERE t.name = ?").param(name).query(TeamStore::row).optional();
    }

    public Optional<Long> insert(String name, Instant now) {
        return jdbc.sql("INSERT INTO teams (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")
                .params(name, Timestamp.from(now)).query(Long.class).optional();
    }

    public List<Member> members(long teamId) {
        return jdbc.sql("""
                SELECT u.username, m.role FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.team_id = ? ORDER BY u.username""")
                .param(teamId)
                .query((rs, n) -> new Member(rs.getString(1), Role.valueOf(rs.getString(2)))).list();
    }

    public Optional<Role> roleOf(long teamId, long userId) {
        return jdbc.sql("SELECT role FROM memberships WHERE team_id = ? AND user_id = ?")
                .params(teamId, userId).query((rs, n) -> Role.valueOf(rs.getString(1))).optional();
    }

    /** Adds or changes a membership by hand: from then on the group rules leave it alone. */
    public void upsertMember(long teamId, long userId, Role role) {
        jdbc.sql("""
                INSERT INTO memberships (team_id, user_id, role, source) VALUES (?, ?, ?, 'MANUAL')
                ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role, source = 'MANUAL'""")
                .params(teamId, userId, role.name()).update();
    }

    /** Adds or changes a membership the group rules grant; a membership granted by hand is left as it is. */
    public boolean upsertRuleMember(long teamId, long userId, Role role) {
        return jdbc.sql("""
                INSERT INTO memberships (team_id, user_id, role, source) VALUES (?, ?, ?, 'RULE')
                ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role WHERE memberships.source = 'RULE'""")
                .params(teamId, userId, role.name()).update() > 0;
    }

    /** Removes a membership the group rules granted; one granted by hand stays. */
    public boolean removeRuleMember(long teamId, long userId) {
        return jdbc.sql("DELETE FROM memberships WHERE team_id = ? AND user_id = ? AND source = 'RULE'")
                .params(teamId, userId).update() > 0;
    }

    /** Every team the user belongs to, with the role and who granted it. */
    public Map<String, HeldMembership> heldBy(long userId) {
        return jdbc.sql("SELECT t.name, m.role, m.source FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ?")
                .param(userId)
                .query((rs, n) -> Map.entry(rs.getString(1), new HeldMembership(Role.valueOf(rs.getString(2)),
                        "RULE".equals(rs.getString(3)))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public boolean removeMember(long teamId, long userId) {
        return jdbc.sql("DELETE FROM memberships WHERE team_id = ? AND user_id = ?").params(teamId, userId).update() > 0;
    }

    public int countAdmins(long teamId) {
        return jdbc.sql("SELECT count(*) FROM memberships WHERE team_id = ? AND role = 'ADMIN'")
                .param(teamId).query(Integer.class).single();
    }

    /** Locks the team row so membership checks and changes on it happen one at a time. */
    public void lock(long teamId) {
        jdbc.sql("SELECT id FROM teams WHERE id = ? FOR UPDATE").param(teamId).query(Long.class).optional();
    }

    /** Every team the user belongs to, with the role. */
    public Map<String, Role> membershipsOf(long userId) {
        return jdbc.sql("SELECT t.name, m.role FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ?")
                .param(userId)
                .query((rs, n) -> Map.entry(rs.getString(1), Role.valueOf(rs.getString(2))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getTimestamp("created_at").toInstant(), rs.getInt("members"));
    }
}
