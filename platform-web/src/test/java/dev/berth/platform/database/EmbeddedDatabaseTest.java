package dev.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditKeying;
import dev.berth.platform.audit.AuditStore;
import java.time.Clock;
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

    private static void assertRefused(int port, String user, String password) {
        assertThatThrownBy(() -> {
            try (var ignored = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", user, password)) {
                // reaching here means the server let the login in
            }
        }).as("login as %s with password %s", user, password).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("password authentication failed", "no password was provided",
                        "the password is an empty string"));
    }

    private static void assertPasswordsRequired(DatabaseConfig.EmbeddedServer server, DatabaseRoles roles) throws SQLException {
        int port = server.postgres().getPort();
        for (String user : List.of("postgres", DatabaseRoles.EMBEDDED_APP_ROLE)) {
            assertRefused(port, user, null);
            assertRefused(port, user, "");
            assertRefused(port, user, "wrong-password");
        }
        // The generated passwords do let each role in, as itself.
        for (var login : List.of(roles.owner(), roles.app())) {
            try (var c = DriverManager.getConnection(roles.url(), login.user(), login.password());
                 var rs = c.createStatement().executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(login.user());
            }
        }
    }

    private static void assertOwnerOnly(Path credentials) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rwx------");
        try (var files = Files.list(credentials)) {
            var names = files.toList();
            assertThat(names).extracting(f -> f.getFileName().toString()).containsExactlyInAnyOrder("postgres", "berth_app");
            for (Path f : names) assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void aNewServerTrustsNobodyAndKeepsItsPasswordsOwnerOnly() throws Exception {
        var config = new DatabaseConfig();
        try (var server = config.embeddedServer(props())) {
            var roles = config.databaseRoles(props(), server);
            assertPasswordsRequired(server, roles);
            assertThat(server.credentials().directory()).isEqualTo(dir.resolve("pg.credentials"));
            assertOwnerOnly(server.credentials().directory());
            // The binaries it runs: nobody else may swap them (the library opens the directory up).
            assertThat(Files.getPosixFilePermissions(dir.resolve("pg.binaries")))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.readString(dir.resolve("pg").resolve("pg_hba.conf"))).doesNotContain("trust").contains("scram-sha-256");
            // The passwords are not readable from inside the database either, only their SCRAM verifiers.
            try (var c = DriverManager.getConnection(roles.url(), roles.owner().user(), roles.owner().password());
                 var rs = c.createStatement().executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'berth_app'")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("SCRAM-SHA-256$").doesNotContain(roles.app().password());
            }
        }
        // Restarted on the same files, it is the same: same passwords, still nobody trusted.
        try (var server = config.embeddedServer(props())) {
            assertPasswordsRequired(server, config.databaseRoles(props(), server));
        }
    }

    @Test
    void aDataDirectoryFromBeforePasswordsIsUpgradedInPlace() throws Exception {
        // What earlier versions left behind: initdb -A trust, and a request role without a password.
        Path data = dir.resolve("pg");
        try (var old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             var c = old.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE ROLE berth_app LOGIN");
            st.execute("CREATE TABLE kept (v text)");
            st.execute("INSERT INTO kept VALUES ('from before')");
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");
        assertThat(Files.exists(dir.resolve("pg.credentials"))).isFalse();

        var config = new DatabaseConfig();
        try (var server = config.embeddedServer(props())) {
            var roles = config.databaseRoles(props(), server);
            assertPasswordsRequired(server, roles);
            assertOwnerOnly(server.credentials().directory());
            assertThat(HostBasedAuth.onlyScram(data)).isTrue();
            try (var c = DriverManager.getConnection(roles.url(), roles.owner().user(), roles.owner().password());
                 var rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from before");
            }
        }
        // And the next start is an ordinary one.
        try (var server = config.embeddedServer(props())) {
            assertPasswordsRequired(server, config.databaseRoles(props(), server));
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
                var key = AuditKeying.establish(ds, dir.resolve("audit.key"), Clock.systemUTC());
                new AuditStore(ds, key).append(List.of(AuditEvent.of(AuditEvent.Actor.system(), "test", "x").at(Instant.now())));
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
                    assertThat(rs.getInt(1)).as("the keying event and ours").isEqualTo(2);
                }
            }
        }
    }
}
