package dev.berth.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
                .setPort(props.embedded().port())
                // The library tunes for throwaway test databases; this one holds the platform's
                // state and audit log, so a commit must be on disk before it is acknowledged.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        return new EmbeddedServer(pg);
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(DatabaseProperties props, EmbeddedServer embedded) {
        var config = new HikariConfig();
        config.setPoolName("berth");
        config.setMaximumPoolSize(20);
        if (props.external()) {
            config.setJdbcUrl(props.url());
            config.setUsername(props.user());
            config.setPassword(props.password());
        } else {
            config.setJdbcUrl("jdbc:postgresql://localhost:" + embedded.postgres().getPort() + "/postgres");
            config.setUsername("postgres");
        }
        return new HikariDataSource(config);
    }

}
