package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Statuses decided outside the dashboard keep their status instead of turning into a login redirect. */
class ErrorDispatchTest extends PlatformTest {
    @LocalServerPort
    int port;

    @Test
    void theGitServletsOwnNotFoundStaysANotFound() {
        // Past the security chains (an admin may see every team), JGit itself answers 404 through sendError,
        // which the access filter writes as a problem document.
        var root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", "errors"));
        root.post("/api/v1/teams/errors/repositories", Map.of("name", "present"));
        var basic = Api.at(port).basic("admin", ADMIN_PASSWORD);
        var missingPath = basic.get("/git/errors/present.git/objects/00/0000000000000000000000000000000000000000");
        assertThat(missingPath.status()).as(missingPath.toString()).isEqualTo(404);
        assertThat(missingPath.headers().firstValue("Location")).isEmpty();
        assertThat(missingPath.contentType()).startsWith("application/problem+json");
    }
}
