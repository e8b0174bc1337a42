package dev.berth.platform.domains;

import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each team's host name patterns, with who added each and when. */
@Repository
class TeamDomainStore {
    /** A pattern another team holds. */
    record Held(String team, String pattern) {
    }

    private final JdbcClient jdbc;

    TeamDomainStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<TeamDomain> domains(long teamId) {
        return jdbc.sql("SELECT pattern, added_by, added_at FROM team_domains WHERE team_id = ? ORDER BY position")
                .param(teamId)
                .query((rs, n) -> new TeamDomain(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())).list();
    }

    /** Patterns every other team holds. */
    List<Held> heldByOthers(long teamId) {
        return jdbc.sql("SELECT t.name, d.pattern FROM team_domains d JOIN teams t ON t.id = d.team_id"
                        + " WHERE d.team_id <> ? ORDER BY t.name, d.position")
                .param(teamId).query((rs, n) -> new Held(rs.getString(1), rs.getString(2))).list();
    }

    /** Replaces the team's list; the caller holds {@link #lockAll()}. */
    void replace(long teamId, List<TeamDomain> domains) {
        jdbc.sql("DELETE FROM team_domains WHERE team_id = ?").param(teamId).update();
        for (int i = 0; i < domains.size(); i++) {
            var d = domains.get(i);
            jdbc.sql("INSERT INTO team_domains (team_id, position, pattern, added_by, added_at) VALUES (?, ?, ?, ?, ?)")
                    .params(teamId, i, d.pattern(), d.addedBy(), Timestamp.from(d.addedAt())).update();
        }
    }

    /** Makes replacements happen one after the other across teams, so two teams cannot claim overlaps at once. */
    void lockAll() {
        jdbc.sql("LOCK TABLE team_domains IN SHARE ROW EXCLUSIVE MODE").update();
    }
}
