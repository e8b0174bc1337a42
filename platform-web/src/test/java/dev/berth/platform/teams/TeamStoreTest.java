package dev.berth.platform.teams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.access.Role;
import dev.berth.platform.PlatformTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Teams and memberships through their store, against a real PostgreSQL. */
class TeamStoreTest extends PlatformTest {
    @Autowired
    TeamStore teams;

    @Autowired
    JdbcClient jdbc;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void membershipsUpsertAndCascade() {
        long user = insertUser(jdbc, "repo-member");
        long team = teams.insert("repo-team", now).orElseThrow();
        assertThat(teams.insert("repo-team", now)).isEmpty();
        teams.upsertMember(team, user, Role.VIEWER);
        teams.upsertMember(team, user, Role.ADMIN);
        assertThat(teams.roleOf(team, user)).contains(Role.ADMIN);
        assertThat(teams.membershipsOf(user)).containsEntry("repo-team", Role.ADMIN);
        assertThat(teams.countAdmins(team)).isEqualTo(1);
        assertThat(teams.removeMember(team, user)).isTrue();
        assertThat(teams.removeMember(team, user)).isFalse();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO memberships (team_id, user_id, role) VALUES (?, ?, 'OWNER')")
                .params(team, user).update()).isInstanceOf(DataIntegrityViolationException.class);
    }
}
