package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * External repository URLs go through the platform's address policy (the shared context allows
 * only 127.0.0.0/8), and why a sync failed is told in full only to those who may sync.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalTargetsTest extends PlatformTest {
    private static final String TEAM = "targets";
    private static final String PASSWORD = "a-long-enough-password";

    @LocalServerPort
    int port;

    private Api root;
    private Api viewer;
    private Api deployer;

    @BeforeAll
    void setUp() {
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", TEAM));
        for (String role : new String[] {"viewer", "deployer"}) {
            String user = "targets-" + role;
            root.post("/api/v1/users", Map.of("username", user, "password", PASSWORD));
            root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", user, "role", role.toUpperCase()));
        }
        viewer = Api.at(port).bearer(Api.at(port).tokenFor("targets-viewer", PASSWORD));
        deployer = Api.at(port).bearer(Api.at(port).tokenFor("targets-deployer", PASSWORD));
    }

    @Test
    void aForbiddenRemoteIsNeverFetchedAndViewersDoNotLearnWhy() {
        // 0.0.0.0 is "this host" on Linux and not in the allow-list; port 1 has nothing behind it either way.
        var created = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", "unspecified",
                "url", "https://0.0.0.0:1/x.git", "pollSeconds", 3600));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var sync = deployer.post("/api/v1/teams/" + TEAM + "/repositories/unspecified/sync", Map.of()).json();
        String reason = "'0.0.0.0' resolves to 0.0.0.0, an unspecified address; Berth does not connect to loopback, private,"
                + " link-local or its own addresses unless an administrator allows them (berth.network.allowed-private-targets,"
                + " BERTH_ALLOWED_PRIVATE_TARGETS)";
        assertThat(sync.path("error").asString()).isEqualTo("fetching https://0.0.0.0:1/x.git#main failed: " + reason);

        String full = deployer.get("/api/v1/teams/" + TEAM + "/repositories/unspecified").json()
                .path("remote").path("lastSyncError").asString();
        assertThat(full).isEqualTo("fetching https://0.0.0.0:1/x.git#main failed: " + reason);
        var viewed = viewer.get("/api/v1/teams/" + TEAM + "/repositories/unspecified").json().path("remote");
        String shown = viewed.path("lastSyncError").asString();
        assertThat(viewed.path("sync").path("error").asString()).as("the sync status says no more").isEqualTo(shown);
        assertThat(shown).isEqualTo("the last fetch failed; a team DEPLOYER or ADMIN can see why (error id "
                + SyncErrors.id(full) + ")");
        var listed = viewer.get("/api/v1/teams/" + TEAM + "/repositories").json();
        for (var repository : listed) {
            assertThat(repository.path("remote").path("lastSyncError").asString("")).doesNotContain("0.0.0.0");
            assertThat(repository.path("remote").path("sync").path("error").asString("")).doesNotContain("0.0.0.0");
        }
    }
}
