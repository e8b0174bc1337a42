package dev.berth.platform.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the platform keeps its data. With {@code url} unset, Berth starts its own PostgreSQL
 * whose files live in {@code embedded.dataDir} and survive restarts. With an external server,
 * {@code migrationUser} (optional) owns the schema and runs migrations while {@code user} serves
 * requests; a request role that owns nothing cannot switch off the audit log's triggers.
 * Environment: BERTH_DATABASE_URL, BERTH_DATABASE_USER, BERTH_DATABASE_PASSWORD,
 * BERTH_DATABASE_MIGRATION_USER, BERTH_DATABASE_MIGRATION_PASSWORD,
 * BERTH_DATABASE_EMBEDDED_DATA_DIR, BERTH_DATABASE_EMBEDDED_PORT.
 */
@ConfigurationProperties("berth.database")
public record DatabaseProperties(String url, String user, String password, String migrationUser,
                                 String migrationPassword, Embedded embedded) {
    public DatabaseProperties {
        if (embedded == null) embedded = new Embedded(null, 0);
    }

    public record Embedded(Path dataDir, int port) {
        public Embedded {
            if (dataDir == null) dataDir = Path.of("berth-data", "postgres");
        }
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }
}
