package dev.berth.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The platform's DataSource: an external PostgreSQL when configured, else an embedded one. */
@Configuration
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseConfig {
    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    /** Holds the embedded server, if any, so it stops after the pool that uses it. */
    public record EmbeddedServer(EmbeddedPostgres postgres, EmbeddedCredentials credentials) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (postgres != null) postgres.close();
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedServer embeddedServer(DatabaseProperties props) throws IOException {
        if (props.external()) return new EmbeddedServer(null, null);
        var dir = props.embedded().dataDir().toAbsolutePath();
        Files.createDirectories(dir.getParent());
        var credentials = EmbeddedCredentials.forDataDir(dir);
        boolean initialised = Files.exists(dir.resolve("postgresql.conf"));
        // A data directory from before passwords (initdb -A trust) boots once more under its old
        // rules; the passwords are set and the rules replaced right after, below.
        boolean upgrade = initialised && !HostBasedAuth.onlyScram(dir);
        log.info("Starting embedded PostgreSQL with data in {}", dir);
        var binaries = dir.resolveSibling(dir.getFileName() + ".binaries");
        var pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // Binaries unpacked where only this user can write, not in a shared /tmp where
                // another local user could have put a postgres of their own first.
                .setOverrideWorkingDirectory(OwnerOnlyFiles.directory(binaries).toFile())
                // Stopped by this bean's close, after everything that uses it (the pool, Quartz);
                // the library's own JVM hook would race Spring's and pull the database from under them.
                .setRegisterShutdownHook(false)
                .setPort(props.embedded().port())
                // The library tunes for throwaway test databases; this one holds the platform's
                // state and audit log, so a commit must be on disk before it is acknowledged.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                // The library passes these to initdb as --auth=... and --pwfile=..., after its own
                // "-A trust", so a new cluster never trusts anybody, not even while it starts.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", credentials.superuserFile().toString())
                // Its readiness check, and every connection it hands out, log in with the password.
                .setConnectConfig("password", credentials.superuser())
                .setDataDirectoryCustomizer(d -> {
                    if (!upgrade) writeHostBasedAuth(dir);
                })
                .start();
        // The library opens its working directory to everyone's writes (made for a shared /tmp).
        OwnerOnlyFiles.directory(binaries);
        try {
            setPasswords(pg, credentials);
            if (upgrade) {
                writeHostBasedAuth(dir);
                reloadAndAwaitPasswords(pg);
                log.info("Embedded PostgreSQL now requires passwords (kept in {})", credentials.directory());
            }
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return new EmbeddedServer(pg, credentials);
    }

    private static void writeHostBasedAuth(Path dir) {
        try {
            HostBasedAuth.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + HostBasedAuth.file(dir), e);
        }
    }

    /** Sets both roles' passwords from the credentials (idempotent), creating the app role if missing. */
    private static void setPasswords(EmbeddedPostgres pg, EmbeddedCredentials credentials) throws IOException {
        try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + DatabaseRoles.EMBEDDED_APP_ROLE
                    + "') THEN CREATE ROLE " + DatabaseRoles.EMBEDDED_APP_ROLE + " LOGIN; END IF; END $$");
            // The SCRAM verifier is computed here; the plain password never reaches the server or its logs.
            var pgc = c.unwrap(PGConnection.class);
            pgc.alterUserPassword("postgres", credentials.superuser().toCharArray(), "scram-sha-256");
            pgc.alterUserPassword(DatabaseRoles.EMBEDDED_APP_ROLE, credentials.app().toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IOException("could not set the embedded database's passwords", e);
        }
    }

    /**
     * Reloads the rules and waits until the server refuses a login without a password; a reload
     * is only a signal, and the platform must not serve while the old rules still hold.
     */
    private static void reloadAndAwaitPasswords(EmbeddedPostgres pg) throws IOException {
        try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not reload the embedded database's configuration", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var ignored = pg.getDatabase("postgres", "postgres", Map.of("password", "not-the-password")).getConnection()) {
                Thread.sleep(50);
            } catch (SQLException refused) {
                if ("28P01".equals(refused.getSQLState()) || "28000".equals(refused.getSQLState())) return;
                throw new IOException("the embedded database failed while reloading", refused);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the embedded database reloaded", e);
            }
        }
        throw new IOException("the embedded database still accepts logins without a password after a reload");
    }

    @Bean
    public DatabaseRoles databaseRoles(DatabaseProperties props, EmbeddedServer embedded) {
        return DatabaseRoles.of(props, embedded);
    }

    /** Migrations run as the schema owner and grant the app role what it needs (V2). */
    @Bean
    public FlywayConfigurationCustomizer migrateAsOwner(DatabaseRoles roles) {
        return flyway -> flyway.dataSource(roles.url(), roles.owner().user(), roles.owner().password())
                .placeholders(Map.of("appRole", roles.app().user()));
    }

    /**
     * Checks, once migrations have run, that the role serving requests cannot lift the audit
     * log's guards; the platform does not start otherwise. Embedded or external alike.
     */
    @Bean
    @DependsOnDatabaseInitialization
    public RequestRoleChecked requestRoleChecked(DataSource dataSource) throws SQLException {
        RequestRoleCheck.require(dataSource);
        return new RequestRoleChecked();
    }

    /** Marks that {@link RequestRoleCheck} passed; beans that must not run otherwise can depend on it. */
    public record RequestRoleChecked() {
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(DatabaseRoles roles) {
        var config = new HikariConfig();
        config.setPoolName("berth");
        // While the database is away a request fails after this wait (a 503 saying so) instead of Hikari's 30 s.
        config.setConnectionTimeout(5_000);
        config.setMaximumPoolSize(20);
        config.setJdbcUrl(roles.url());
        config.setUsername(roles.app().user());
        config.setPassword(roles.app().password());
        return new HikariDataSource(config);
    }

}
