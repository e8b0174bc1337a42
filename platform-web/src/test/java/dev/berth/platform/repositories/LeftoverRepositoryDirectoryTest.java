package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A repository directory left on disk by an earlier database (its row gone, the bare repository
 * still there) is neither reused nor removed: creating the repository again is a 409 that says so,
 * and leaves no row behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeftoverRepositoryDirectoryTest extends PlatformTest {
    private static final String TEAM = "leftover";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private Api root;

    @BeforeAll
    void setUp() {
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        assertThat(root.post("/api/v1/teams", Map.of("name", TEAM)).status()).isEqualTo(201);
    }

    private Api.Response create(String name) {
        return root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name));
    }

    @Test
    void aDirectoryLeftFromAnEarlierDatabaseIsAConflictThatSaysWhatToDo() throws Exception {
        assertThat(create("web").status()).isEqualTo(201);
        Path dir = GIT_DIR.resolve(TEAM).resolve("web.git");
        assertThat(dir.resolve("HEAD")).isRegularFile();
        Files.writeString(dir.resolve("description"), "kept history\n");
        // As if the database had been replaced while the repositories directory stayed.
        jdbc.sql("DELETE FROM repositories WHERE name = 'web' AND team_id = (SELECT id FROM teams WHERE name = ?)")
                .param(TEAM).update();

        var again = create("web");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().path("detail").asString())
                .contains("'leftover/web'", "already on the platform's disk", "leftover/web.git", "earlier database",
                        "move it away or delete it")
                .doesNotContain(GIT_DIR.toString());
        assertThat(again.body()).doesNotContain("errorId");
        assertThat(root.get("/api/v1/teams/" + TEAM + "/repositories/web").status()).as("no row is left behind").isEqualTo(404);
        assertThat(Files.readString(dir.resolve("description"))).as("the leftover is not touched").isEqualTo("kept history\n");

        // Once the operator moves it away, the name is free again.
        Files.move(dir, GIT_DIR.resolve(TEAM).resolve("web.git.old"));
        assertThat(create("web").status()).isEqualTo(201);
    }

    @Test
    void aPartialDirectoryIsNotInitialisedOver() throws Exception {
        Path dir = Files.createDirectories(GIT_DIR.resolve(TEAM).resolve("half.git"));
        Files.writeString(dir.resolve("config"), "[core]\n");

        var created = create("half");
        assertThat(created.status()).as(created.body()).isEqualTo(409);
        assertThat(root.get("/api/v1/teams/" + TEAM + "/repositories/half").status()).isEqualTo(404);
        assertThat(dir.resolve("HEAD")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("config");
        }
    }
}
