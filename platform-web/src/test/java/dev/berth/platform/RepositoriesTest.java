package dev.berth.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.security.LoginFailures;
import dev.berth.platform.access.Role;
import dev.berth.platform.teams.TeamStore;
import dev.berth.platform.tokens.TokenStore;
import dev.berth.platform.tokens.TokenSecret;
import dev.berth.platform.users.UserStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway's schema and the JDBC repositories against a real PostgreSQL. */
class RepositoriesTest extends PlatformTest {
    @Autowired
    UserStore users;
    @Autowired
    TeamStore teams;
    @Autowired
    TokenStore tokens;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    LoginFailures failures;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void flywayAppliedEveryMigration() throws Exception {
        // Flyway's history belongs to the schema owner; the request role may not even read it.
        var versions = new java.util.ArrayList<String>();
        try (var c = database().connect(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) versions.add(rs.getString(1));
        }
        List<String> files;
        try (var names = java.nio.file.Files.list(java.nio.file.Path.of("..", "db", "migrations"))) {
            files = names.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList();
        }
        assertThat(versions).isEqualTo(files);
    }

    @Test
    void usersAreUniqueAndTheSchemaRejectsBadNames() {
        long id = users.insert("repo-user", "{noop}x", false, now).orElseThrow();
        assertThat(users.insert("repo-user", "{noop}y", true, now)).isEmpty();
        var found = users.find("repo-user").orElseThrow();
        assertThat(found.id()).isEqualTo(id);
        assertThat(found.createdAt()).isEqualTo(now);
        assertThatThrownBy(() -> users.insert("Bad Name", "{noop}x", false, now))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void membershipsUpsertAndCascade() {
        long user = users.insert("repo-member", "{noop}x", false, now).orElseThrow();
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

    @Test
    void tokensKeepOnlyTheHashAndRevokeOnce() {
        long user = users.insert("repo-token-owner", "{noop}x", false, now).orElseThrow();
        var secret = TokenSecret.generate();
        tokens.insert(user, secret, "ci", null, null, now, now.plusSeconds(3600));
        var stored = tokens.findByPublicId(secret.publicId()).orElseThrow();
        assertThat(secret.matches(stored.secretHash())).isTrue();
        assertThat(stored.token().expiresAt()).isEqualTo(now.plusSeconds(3600));
        assertThat(tokens.revoke(user, secret.publicId(), now)).isTrue();
        assertThat(tokens.revoke(user, secret.publicId(), now)).isFalse();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO api_tokens (public_id, user_id, name, secret_hash, max_role, created_at)"
                + " VALUES ('x', ?, 'n', '\\x00', 'ADMIN', now())").param(user).update())
                .as("a highest role needs a team").isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void failuresAreCountedPerAccountAndAddressInsideTheWindowOnly() {
        long user = users.insert("repo-failures", "{noop}x", false, now).orElseThrow();
        failures.insert(user, "203.0.113.1", now.minusSeconds(3600));
        long mine = failures.insert(user, "203.0.113.1", now);
        failures.insert(null, "203.0.113.1", now);
        failures.insert(user, "203.0.113.2", now);
        var since = now.minusSeconds(900);
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", since, -1)).containsExactly(now);
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", since, mine)).isEmpty();
        assertThat(failures.from("203.0.113.1", since, -1)).hasSize(2);
        assertThat(failures.mostFromOneAddress(user, since)).isEqualTo(1);
        failures.pruneBefore(since);
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", now.minusSeconds(99999), -1)).containsExactly(now);
        failures.clear(user, "203.0.113.1");
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", now.minusSeconds(99999), -1)).isEmpty();
        assertThat(failures.from("203.0.113.1", since, -1)).as("the unknown user's failure stays").hasSize(1);
        failures.clearAccount(user);
        assertThat(failures.mostFromOneAddress(user, since)).isZero();
    }

    @Test
    void aPasswordChangeMovesTheCredentialsVersionOn() {
        long user = users.insert("repo-version", "{noop}x", false, now).orElseThrow();
        assertThat(users.credentialsVersion(user)).contains(0L);
        assertThat(users.setPassword(user, "{noop}y")).isEqualTo(1L);
        assertThat(users.find(user).orElseThrow().credentialsVersion()).isEqualTo(1L);
        assertThat(users.credentialsVersion(-5)).isEmpty();
    }
}
