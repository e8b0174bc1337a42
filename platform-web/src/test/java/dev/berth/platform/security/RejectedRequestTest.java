package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.RawHttp;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests Spring Security's firewall refuses, before any chain or controller, are RFC 9457
 * problems like every other error, saying what was refused without echoing the request back.
 */
class RejectedRequestTest extends PlatformTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> refusedPathsAreProblemsForEveryCaller() {
        var cases = Map.of(
                "/api/v1//teams", "an empty segment ('//')",
                "/api/v1/teams;evil-marker=1", "a ';'",
                "/api/v1/%2e%2e/teams", "an encoded '.'",
                "/api/v1/teams/%2e%2e/evil-marker", "an encoded '.'",
                "/teams;evil-marker=1", "a ';'",
                "//evil-marker", "an empty segment ('//')");
        var raw = RawHttp.at(port);
        var callers = Map.of("anonymous", raw, "admin token", raw.bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD)));
        var tests = new ArrayList<DynamicTest>();
        cases.forEach((target, said) -> callers.forEach((caller, client) -> {
            for (String method : new String[] {"GET", "POST"}) {
                tests.add(DynamicTest.dynamicTest(method + " " + target + " as " + caller, () -> {
                    var response = client.send(method, target);
                    assertThat(response.status()).as(response.toString()).isEqualTo(400);
                    assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
                    var problem = JSON.readTree(response.body());
                    assertThat(problem.path("status").asInt()).isEqualTo(400);
                    assertThat(problem.path("title").asString()).isEqualTo("Bad Request");
                    assertThat(problem.path("detail").asString()).contains(said);
                    assertThat(response.body()).doesNotContain("evil-marker");
                    assertThat(response.headers()).doesNotContainKey("location");
                    assertThat(response.headers()).doesNotContainKey("set-cookie");
                }));
            }
        }));
        return tests.stream();
    }
}
