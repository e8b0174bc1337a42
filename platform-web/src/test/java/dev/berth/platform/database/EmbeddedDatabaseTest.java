package dev.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server keeps its data in the configured directory across restarts. */
class EmbeddedDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestart() throws Exception {
        var props = new DatabaseProperties(null, null, null, new DatabaseProperties.Embedded(dir.resolve("pg"), 0));
        var config = new DatabaseConfig();
        try (var server = config.embeddedServer(props); var ds = config.dataSource(props, server);
             var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE kept (v text)");
            st.execute("INSERT INTO kept VALUES ('still here')");
        }
        assertThat(Files.exists(dir.resolve("pg").resolve("PG_VERSION"))).isTrue();
        try (var server = config.embeddedServer(props); var ds = config.dataSource(props, server);
             var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }
}
