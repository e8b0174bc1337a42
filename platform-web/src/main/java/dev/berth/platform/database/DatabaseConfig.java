package dev.berth.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The platform's DataSource: an external PostgreSQL when configured, else an embedded one. */
@Configuration
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseConfig {
    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    /** Holds the embedded server, if any, so it stops after the pool that uses it. */
    public record EmbeddedServer(EmbeddedPostgres postgres) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (postgres != null) postgres.close();
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedServer embeddedServer(DatabaseProperties props) throws IOException {
        if (props.external()) return new EmbeddedServer(null);
        var dir = props.embedded().dataDir().toAbsolutePath();
        Files.createDirectories(dir.getParent());
        log.info("Starting embedded PostgreSQL with data in {}", dir);
        var pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // Stopped by this bean's close, after everything that uses it (the pool, Quartz);
                // the library's own JVM hook would race Spring's and pull the database from under them.
                .setRegisterShutdownHook(false)
                .setPort(props.embedded().port())
                // The library tunes for throwaway test databases; this one holds the platform's
                // state and audit log, so a commit must be on disk before it is acknowledged.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        createAppRole(pg);
        return new EmbeddedServer(pg);
    }

    private static void createAppRole(EmbeddedPostgres pg) throws IOException {
        try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + DatabaseRoles.EMBEDDED_APP_ROLE
                    + "') THEN CREATE ROLE " + DatabaseRoles.EMBEDDED_APP_ROLE + " LOGIN; END IF; END $$");
        } catch (SQLException e) {
            throw new IOException("could not create the embedded database's app role", e);
        }
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

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(DatabaseRoles roles) {
        var config = new HikariConfig();
        config.setPoolName("berth");
        config.setMaximumPoolSize(20);
        config.setJdbcUrl(roles.url());
        config.setUsername(roles.app().user());
        config.setPassword(roles.app().password());
        return new HikariDataSource(config);
    }

}
