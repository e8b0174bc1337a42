package dev.berth.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flyway's schema against a real PostgreSQL. Each store is tested in its own package (UserStoreTest,
 * TeamStoreTest, TokenStoreTest, LoginFailureStoreTest), where it is visible.
 */
class RepositoriesTest extends PlatformTest {

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
}
