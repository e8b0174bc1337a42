package dev.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditStore;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server as the platform starts it: its data survives a restart, and the role that
 * serves requests owns nothing, so it can append to the audit log but neither rewrite it nor
 * switch its guards off.
 */
class EmbeddedDatabaseTest {
    @TempDir
    Path dir;

    private DatabaseProperties props() {
        return new DatabaseProperties(null, null, null, null, null, new DatabaseProperties.Embedded(dir.resolve("pg"), 0));
    }

    private static void migrate(DatabaseConfig config, DatabaseRoles roles) {
        var flyway = new FluentConfiguration().locations("classpath:db/migration");
        config.migrateAsOwner(roles).customize(flyway);
        new Flyway(flyway).migrate();
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        var config = new DatabaseConfig();
        try (var server = config.embeddedServer(props())) {
            var roles = config.databaseRoles(props(), server);
            migrate(config, roles);
            try (var ds = config.dataSource(roles); var c = ds.getConnection(); var st = c.createStatement()) {
                st.execute("INSERT INTO teams (name, created_at) VALUES ('kept', now())");
            }
        }
        assertThat(Files.exists(dir.resolve("pg").resolve("PG_VERSION"))).isTrue();
        try (var server = config.embeddedServer(props())) {
            var roles = config.databaseRoles(props(), server);
            migrate(config, roles);
            try (var ds = config.dataSource(roles); var c = ds.getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT name FROM teams")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
        }
    }

    @Test
    void theAppRoleCanAppendButNotRewriteOrUnguardTheAuditLog() throws Exception {
        var config = new DatabaseConfig();
        try (var server = config.embeddedServer(props())) {
            var roles = config.databaseRoles(props(), server);
            assertThat(roles.app().user()).isEqualTo(DatabaseRoles.EMBEDDED_APP_ROLE).isNotEqualTo(roles.owner().user());
            migrate(config, roles);
            try (var ds = config.dataSource(roles)) {
                new AuditStore(ds).append(List.of(AuditEvent.of(AuditEvent.Actor.system(), "test", "x").at(Instant.now())));
                try (var c = ds.getConnection(); var st = c.createStatement()) {
                    for (String sql : List.of(
                            "UPDATE audit_events SET actor = 'mallory'",
                            "DELETE FROM audit_events",
                            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
                            "DROP TRIGGER audit_events_append_only ON audit_events",
                            "DROP TABLE audit_events",
                            "TRUNCATE audit_events")) {
                        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("permission denied", "must be owner"));
                    }
                    var rs = st.executeQuery("SELECT count(*) FROM audit_events");
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
