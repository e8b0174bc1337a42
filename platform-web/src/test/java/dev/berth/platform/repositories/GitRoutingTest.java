package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every git endpoint over real HTTP, as every kind of caller, spelled canonically and in the ways
 * a script could spell it otherwise. Canonical requests are decided by role and token scope; any
 * other spelling is refused before anything else is decided.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitRoutingTest extends PlatformTest {
    private static final String TEAM = "routing";
    private static final String OTHER_TEAM = "routing-other";
    private static final String REPO = "web";
    private static final String PASSWORD = "a-long-enough-password";
    private static final String BASE = "/git/" + TEAM + "/" + REPO + ".git/";

    @LocalServerPort
    int port;

    private final Map<String, RawHttp> callers = new LinkedHashMap<>();

    @BeforeAll
    void setUp() {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        expect(201, root.post("/api/v1/teams", Map.of("name", TEAM)));
        expect(201, root.post("/api/v1/teams", Map.of("name", OTHER_TEAM)));
        expect(201, root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", REPO)));
        for (String role : List.of("viewer", "deployer", "admin")) {
            expect(201, root.post("/api/v1/users", Map.of("username", "routing-" + role, "password", PASSWORD)));
            expect(201, root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "routing-" + role, "role", role.toUpperCase())));
        }
        expect(201, root.post("/api/v1/users", Map.of("username", "routing-outsider", "password", PASSWORD)));

        var raw = RawHttp.at(port);
        callers.put("anonymous", raw);
        callers.put("wrong secret", raw.basic("routing-nobody", "not-the-password"));
        callers.put("no team", raw.basic("routing-outsider", api.tokenFor("routing-outsider", PASSWORD)));
        callers.put("viewer", raw.basic("routing-viewer", api.tokenFor("routing-viewer", PASSWORD)));
        callers.put("viewer with password", raw.basic("routing-viewer", PASSWORD));
        callers.put("deployer", raw.basic("routing-deployer", api.tokenFor("routing-deployer", PASSWORD)));
        callers.put("team admin", raw.basic("routing-admin", api.tokenFor("routing-admin", PASSWORD)));
        callers.put("platform admin", raw.basic("admin", api.tokenFor("admin", ADMIN_PASSWORD)));
        callers.put("team admin token narrowed to VIEWER", raw.basic("routing-admin", narrowed(api, "routing-admin", PASSWORD, TEAM, "VIEWER")));
        callers.put("platform admin token narrowed to VIEWER", raw.basic("admin", narrowed(api, "admin", ADMIN_PASSWORD, TEAM, "VIEWER")));
        callers.put("deployer token narrowed to the team", raw.basic("routing-deployer", narrowed(api, "routing-deployer", PASSWORD, TEAM, null)));
        callers.put("platform admin token narrowed to other team", raw.basic("admin", narrowed(api, "admin", ADMIN_PASSWORD, OTHER_TEAM, "ADMIN")));
    }

    private static String narrowed(Api api, String user, String password, String team, String role) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", "narrowed");
        body.put("team", team);
        if (role != null) body.put("role", role);
        var r = api.bearer(api.tokenFor(user, password)).post("/api/v1/tokens", body);
        expect(201, r);
        return r.json().get("token").asString();
    }

    private static void expect(int status, Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    /** One of git's requests: its method, target as sent, and a minimal valid body for the POSTs. */
    private record Request(String method, String target, String contentType) {
        RawHttp.Response send(RawHttp client) {
            if (contentType == null) return client.send(method, target);
            return client.send(method, target, "0000".getBytes(StandardCharsets.US_ASCII), Map.of("Content-Type", contentType));
        }
    }

    private static final Request ADVERTISE_UPLOAD = new Request("GET", BASE + "info/refs?service=git-upload-pack", null);
    private static final Request ADVERTISE_RECEIVE = new Request("GET", BASE + "info/refs?service=git-receive-pack", null);
    private static final Request UPLOAD = new Request("POST", BASE + "git-upload-pack", "application/x-git-upload-pack-request");
    private static final Request RECEIVE = new Request("POST", BASE + "git-receive-pack", "application/x-git-receive-pack-request");

    /** What each caller gets from the four endpoints: upload advertisement, receive advertisement, upload, receive. */
    private static Map<String, List<Integer>> canonicalStatuses() {
        var m = new LinkedHashMap<String, List<Integer>>();
        m.put("anonymous", List.of(401, 401, 401, 401));
        m.put("wrong secret", List.of(401, 401, 401, 401));
        m.put("no team", List.of(404, 404, 404, 404));
        m.put("viewer", List.of(200, 403, 200, 403));
        m.put("viewer with password", List.of(200, 403, 200, 403));
        m.put("deployer", List.of(200, 200, 200, 200));
        m.put("team admin", List.of(200, 200, 200, 200));
        m.put("platform admin", List.of(200, 200, 200, 200));
        m.put("team admin token narrowed to VIEWER", List.of(200, 403, 200, 403));
        m.put("platform admin token narrowed to VIEWER", List.of(200, 403, 200, 403));
        m.put("deployer token narrowed to the team", List.of(200, 200, 200, 200));
        m.put("platform admin token narrowed to other team", List.of(404, 404, 404, 404));
        return m;
    }

    @TestFactory
    Stream<DynamicTest> canonicalRequestsAreDecidedByRoleAndTokenScope() {
        var tests = new ArrayList<DynamicTest>();
        var endpoints = List.of(ADVERTISE_UPLOAD, ADVERTISE_RECEIVE, UPLOAD, RECEIVE);
        canonicalStatuses().forEach((caller, statuses) -> {
            assertThat(callers).containsKey(caller);
            for (int i = 0; i < endpoints.size(); i++) {
                Request request = endpoints.get(i);
                int expected = statuses.get(i);
                tests.add(DynamicTest.dynamicTest(request.method() + " " + request.target() + " as " + caller + " → " + expected, () -> {
                    var response = request.send(callers.get(caller));
                    assertThat(response.status()).as(response.toString()).isEqualTo(expected);
                    if (expected >= 400) assertThat(response.contentType()).startsWith("application/problem+json");
                    if (expected == 401) assertThat(response.headers().get("www-authenticate")).isEqualTo("Basic realm=\"Berth\"");
                }));
            }
        });
        return tests.stream();
    }

    /**
     * Spellings of the four requests that a container decodes or normalises into them (or into
     * another path). Each is refused with 400 before any caller is looked at.
     */
    private static List<Request> otherSpellings() {
        String receivePath = "/git/" + TEAM + "/" + REPO + ".git/git-receive-pack";
        var spellings = new ArrayList<Request>();
        for (String target : List.of(
                BASE + "git-receive-p%61ck", BASE + "git-receive-pac%6B", BASE + "%67it-receive-pack", BASE + "git%2Dreceive-pack",
                "/g%69t/" + TEAM + "/" + REPO + ".git/git-receive-pack", "/%67it/" + TEAM + "/" + REPO + ".git/git-receive-pack",
                "/%67%69%74/" + TEAM + "/" + REPO + ".git/git-receive-pack",
                "/git/r%6Futing/" + REPO + ".git/git-receive-pack", "/git/" + TEAM + "/w%65b.git/git-receive-pack",
                "/git/" + TEAM + "/" + REPO + ".g%69t/git-receive-pack", "/git/" + TEAM + "/" + REPO + "%2Egit/git-receive-pack",
                BASE + "x/%2e%2e/git-receive-pack", BASE + "x/%2E%2E/git-receive-pack", BASE + "%2e/git-receive-pack",
                BASE + "git-upload-pack/../git-receive-pack", BASE + "./git-receive-pack",
                BASE + "git-receive-pack;jsessionid=0123", "/git/" + TEAM + ";x=y/" + REPO + ".git/git-receive-pack",
                "/git/" + TEAM + "//" + REPO + ".git/git-receive-pack", "//git/" + TEAM + "/" + REPO + ".git/git-receive-pack",
                BASE + "/git-receive-pack", BASE + "git-receive-pack%3Bx", receivePath + "?x=1")) {
            spellings.add(new Request("POST", target, "application/x-git-receive-pack-request"));
        }
        for (String target : List.of(BASE + "info/refs?service=git-receive-p%61ck", BASE + "info/refs?%73ervice=git-receive-pack",
                BASE + "info/r%65fs?service=git-receive-pack", BASE + "%69nfo/refs?service=git-receive-pack",
                BASE + "info/refs?service=git-upload-pack&service=git-receive-pack",
                BASE + "info/refs?service=git-receive-pack&service=git-upload-pack", BASE + "info/refs?service=git-upload-pack&x=y",
                "/g%69t/" + TEAM + "/" + REPO + ".git/info/refs?service=git-upload-pack")) {
            spellings.add(new Request("GET", target, null));
        }
        spellings.add(new Request("POST", BASE + "git-upload-p%61ck", "application/x-git-upload-pack-request"));
        // Paths that leave /git/ once normalised must not take the git chain's Basic auth to the API.
        spellings.add(new Request("GET", "/git/%2e%2e/api/v1/teams", null));
        spellings.add(new Request("GET", "/git/../api/v1/teams", null));
        spellings.add(new Request("GET", "/git/" + TEAM + "/../../api/v1/teams", null));
        return spellings;
    }

    @TestFactory
    Stream<DynamicTest> everyOtherSpellingIsRefusedForEveryCaller() {
        var tests = new ArrayList<DynamicTest>();
        for (Request request : otherSpellings()) {
            for (String caller : callers.keySet()) {
                tests.add(DynamicTest.dynamicTest(request.method() + " " + request.target() + " as " + caller + " → 400", () -> {
                    var response = request.send(callers.get(caller));
                    assertThat(response.status()).as(response.toString()).isEqualTo(400);
                    assertThat(response.contentType()).startsWith("application/problem+json");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> anEncodedSlashIsRefusedByTheContainer() {
        return Stream.of(BASE + "x%2F..%2Fgit-receive-pack", "/git/" + TEAM + "%2F" + REPO + ".git/git-receive-pack",
                        BASE + "x%2f..%2fgit-receive-pack")
                .flatMap(target -> callers.keySet().stream().map(caller -> DynamicTest.dynamicTest(target + " as " + caller, () -> {
                    var response = new Request("POST", target, "application/x-git-receive-pack-request").send(callers.get(caller));
                    assertThat(response.status()).as(response.toString()).isEqualTo(400);
                })));
    }

    /** Canonical paths that name no endpoint: 404 (405 for a wrong method) to those who authenticated, 401 to others. */
    @TestFactory
    Stream<DynamicTest> unknownEndpointsAndWrongMethodsAreProblemsAfterAuthentication() {
        var cases = new LinkedHashMap<Request, Integer>();
        cases.put(new Request("POST", BASE + "git-receive-pack/x", "application/x-git-receive-pack-request"), 404);
        cases.put(new Request("POST", BASE + "git-receive-pack.x", "application/x-git-receive-pack-request"), 404);
        cases.put(new Request("GET", BASE + "config", null), 404);
        cases.put(new Request("GET", BASE + "refs/heads/main", null), 404);
        cases.put(new Request("GET", "/git/" + TEAM, null), 404);
        cases.put(new Request("GET", "/git/", null), 404);
        cases.put(new Request("GET", "/git", null), 404);
        cases.put(new Request("GET", BASE + "git-receive-pack", null), 405);
        cases.put(new Request("DELETE", BASE + "git-upload-pack", null), 405);
        cases.put(new Request("POST", BASE + "info/refs?service=git-receive-pack", "application/x-www-form-urlencoded"), 405);
        var tests = new ArrayList<DynamicTest>();
        cases.forEach((request, status) -> {
            for (String caller : List.of("anonymous", "viewer", "deployer", "platform admin")) {
                int expected = caller.equals("anonymous") ? 401 : status;
                tests.add(DynamicTest.dynamicTest(request.method() + " " + request.target() + " as " + caller + " → " + expected, () -> {
                    var response = request.send(callers.get(caller));
                    assertThat(response.status()).as(response.toString()).isEqualTo(expected);
                    assertThat(response.contentType()).startsWith("application/problem+json");
                    if (expected == 405) assertThat(response.headers().get("allow")).isNotBlank();
                }));
            }
        });
        return tests.stream();
    }
}
