package dev.berth.platform.egress;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each team's allowed ranges, in canonical text, in the order an admin gave them. */
@Repository
class EgressAllowStore {
    private final JdbcClient jdbc;

    EgressAllowStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<String> ranges(long teamId) {
        return jdbc.sql("SELECT cidr FROM team_egress_allow WHERE team_id = ? ORDER BY position")
                .param(teamId).query(String.class).list();
    }

    /** Replaces the team's list; the caller holds the team's row lock. */
    void replace(long teamId, List<String> ranges) {
        jdbc.sql("DELETE FROM team_egress_allow WHERE team_id = ?").param(teamId).update();
        for (int i = 0; i < ranges.size(); i++) {
            jdbc.sql("INSERT INTO team_egress_allow (team_id, position, cidr) VALUES (?, ?, ?)")
                    .params(teamId, i, ranges.get(i)).update();
        }
    }

    /** Locks the team's row so that two replacements of its list happen one after the other. */
    void lockTeam(long teamId) {
        jdbc.sql("SELECT id FROM teams WHERE id = ? FOR UPDATE").param(teamId).query(Long.class).optional();
    }
}
