package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A path under {@code /api/} or {@code /agent/} that no endpoint takes is a 404 problem document
 * (405 for a method the endpoint does not answer), never the dashboard's page with 200; callers
 * without credentials still get 401 first. The dashboard keeps every other path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnknownPathsTest extends PlatformTest {
    @LocalServerPort
    int port;

    private RawHttp person;
    private RawHttp agent;

    @BeforeAll
    void setUp() {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        person = RawHttp.at(port).bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        var join = root.post("/api/v1/hosts/join-tokens", Map.of());
        assertThat(join.status()).as(join.toString()).isEqualTo(201);
        var registered = api.anonymous().post("/agent/v1/register", Map.of("version", 1, "joinToken",
                join.json().get("token").asString(), "hostname", "unknown-paths.test",
                "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000), "agentVersion", "test"));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        agent = RawHttp.at(port).bearer(registered.json().get("credential").asString());
    }

    private static final List<String> UNKNOWN_API = List.of("/api/v1/nothing", "/api/v1/teams/x/nothing", "/api/v1/teamz",
            "/api/v2/teams", "/api/nothing", "/api", "/api/", "/%61pi/v1/nothing", "/api/v1/teams/x/apps/y/secrets/Z/nothing");

    @TestFactory
    Stream<DynamicTest> unknownApiPathsAreNotFoundProblems() {
        var tests = new ArrayList<DynamicTest>();
        for (String path : UNKNOWN_API) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                tests.add(DynamicTest.dynamicTest(method + " " + path, () -> {
                    var response = person.send(method, path, "{}".getBytes(), Map.of("Content-Type", "application/json"));
                    assertThat(response.status()).as(response.toString()).isEqualTo(404);
                    assertThat(response.contentType()).startsWith("application/problem+json");
                    assertThat(response.body()).contains("\"status\":404").contains("there is no endpoint at");
                }));
                tests.add(DynamicTest.dynamicTest(method + " " + path + " without credentials", () -> {
                    var response = RawHttp.at(port).send(method, path);
                    assertThat(response.status()).as(response.toString()).isEqualTo(401);
                    assertThat(response.contentType()).startsWith("application/problem+json");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> unknownAgentPathsAreNotFoundProblemsForAgents() {
        return Stream.of("/agent/v1/nothing", "/agent/v2/heartbeat", "/agent/nothing", "/agent")
                .flatMap(path -> Stream.of("GET", "POST", "DELETE").map(method -> DynamicTest.dynamicTest(method + " " + path, () -> {
                    var response = agent.send(method, path, "{}".getBytes(), Map.of("Content-Type", "application/json"));
                    assertThat(response.status()).as(response.toString()).isEqualTo(404);
                    assertThat(response.contentType()).startsWith("application/problem+json");
                    var anonymous = RawHttp.at(port).send(method, path);
                    assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
                })));
    }

    @Test
    void aWrongMethodOnARealEndpointIsMethodNotAllowedWithTheMethodsItAnswers() {
        for (var request : List.of(List.of("DELETE", "/api/v1/teams", "GET, POST"), List.of("PATCH", "/api/v1/teams", "GET, POST"),
                List.of("PUT", "/api/v1/users", "GET, POST"), List.of("POST", "/api/v1/audit/verify", "GET"))) {
            var response = person.send(request.get(0), request.get(1), "{}".getBytes(), Map.of("Content-Type", "application/json"));
            assertThat(response.status()).as(request + ": " + response).isEqualTo(405);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(List.of(response.headers().get("allow").split(", "))).as(request.toString())
                    .containsAll(List.of(request.get(2).split(", "))).doesNotContain(request.get(0));
        }
        var heartbeat = agent.send("GET", "/agent/v1/heartbeat");
        assertThat(heartbeat.status()).as(heartbeat.toString()).isEqualTo(405);
        assertThat(heartbeat.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theDashboardKeepsItsOwnRoutes() {
        var anonymous = RawHttp.at(port);
        var login = anonymous.send("GET", "/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.contentType()).startsWith("text/html");
        for (String path : List.of("/", "/apps", "/apps/team/app", "/repositories", "/apiary", "/agents", "/no-such-page")) {
            var response = anonymous.send("GET", path);
            assertThat(response.status()).as(path + ": " + response).isEqualTo(302);
            assertThat(response.headers().get("location")).as(path).endsWith("/login");
        }
        // Real endpoints still answer as before.
        assertThat(person.send("GET", "/api/v1/teams").status()).isEqualTo(200);
        assertThat(RawHttp.at(port).send("GET", "/actuator/health").status()).isEqualTo(200);
    }
}
